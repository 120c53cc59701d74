package org.octgateway;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At most gateway.upload.max-bytes-in-flight of request bodies at once: an upload that does not fit next to those
 * being received is answered 503 "busy" with Retry-After before its body is read; once they are done it fits.
 */
class BytesInFlightTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/in-flight";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.upload.max-bytes-in-flight", "300000");
        properties.setProperty("camel.server.maxBodySize", "250000");
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private HttpResponse<String> upload(int size, int seed) {
        return uploadImage("scan.png", "image/png", Arrays.copyOf(TestImages.png(seed), size),
                Map.of("Webhook-Url", webhookUrl(HOOK)));
    }

    @Test
    void anUploadThatDoesNotFitNextToOneBeingReceivedIsBusyUntilThatOneEnds() throws Exception {
        Multipart slow = new Multipart().file("image", "slow.png", "image/png", Arrays.copyOf(TestImages.png(1), 200_000));
        byte[] slowBody = slow.bytes();
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            // 200 KB announced and half sent: counted in full from the start
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + slow.contentType(),
                    "Content-Length: " + slowBody.length, "Webhook-Url: " + webhookUrl(HOOK));
            client.send(Arrays.copyOf(slowBody, 100_000));

            HttpResponse<String> busy = upload(150_000, 2);
            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""), busy.headers().map().toString());
            JsonNode error = json(busy.body());
            assertEquals("error", error.path("status").asText(), busy.body());
            assertEquals("busy", error.path("error").asText(), busy.body());
            assertTrue(error.path("message").asText().contains("300000"), busy.body());
            // a small one still fits, and requests without a body are never held up
            accepted(upload(50_000, 3));
            assertEquals(200, get("/ping").statusCode());

            client.send(Arrays.copyOfRange(slowBody, 100_000, slowBody.length));
            assertEquals(200, client.answer().status());
        }
        accepted(upload(150_000, 4));
    }

    @Test
    void aChunkedUploadCountsAsTheLargestBodyTheServerTakes() throws Exception {
        Multipart slow = new Multipart().file("image", "slow.png", "image/png", Arrays.copyOf(TestImages.png(5), 100_000));
        byte[] slowBody = slow.bytes();
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + slow.contentType(),
                    "Transfer-Encoding: chunked", "Webhook-Url: " + webhookUrl(HOOK));
            client.chunk(Arrays.copyOf(slowBody, 10_000));

            // 250 KB counted for the chunked one: 100 KB more does not fit under 300 KB (once the gateway has read
            // the chunked request's headers: an upload that races ahead of them is simply accepted)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> upload(100_000, 6).statusCode() == 503);

            client.chunk(Arrays.copyOfRange(slowBody, 10_000, slowBody.length)).lastChunk();
            assertEquals(200, client.answer().status());
        }
        accepted(upload(100_000, 7));
    }

    @Test
    void aClientThatHangsUpGivesItsShareBack() throws Exception {
        Multipart slow = new Multipart().file("image", "slow.png", "image/png", Arrays.copyOf(TestImages.png(8), 200_000));
        byte[] slowBody = slow.bytes();
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + slow.contentType(),
                    "Content-Length: " + slowBody.length, "Webhook-Url: " + webhookUrl(HOOK));
            client.send(Arrays.copyOf(slowBody, 50_000));
            // once the gateway has read the slow request's headers (an upload racing ahead of them is accepted)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> upload(150_000, 9).statusCode() == 503);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> upload(150_000, 10).statusCode() == 200);
    }
}
