package org.octgateway;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upload parts go to an owner-only directory under the data dir while the request is read, and none is left there
 * after any request, accepted, refused, over the limit, malformed or abandoned; the form's parts obey the rules.
 */
class UploadFilesTest extends GatewayTestSupport {

    private static final int MAX_BODY = 200_000;
    private static final String HOOK = "/hooks/upload-files";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("camel.server.maxBodySize", Integer.toString(MAX_BODY));
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    /** Everything logged during each test, watched for exceptions nothing handled. */
    private CapturedLog logged;

    @BeforeEach
    void watchForUnhandledExceptions() {
        logged = new CapturedLog("");
    }

    @AfterEach
    void noPartFileIsLeftBehind() {
        await("the upload directory is empty").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> partFiles().isEmpty());
    }

    /** However an upload ends, the operator's log shows no "Unhandled exception" with its stack trace. */
    @AfterEach
    void noUploadEndsInAnUnhandledException() {
        logged.close();
        assertFalse(logged.text().contains("Unhandled exception"), logged.text());
    }

    private Path uploadDir() {
        return peers().dataDir.resolve("uploads");
    }

    private List<Path> partFiles() throws IOException {
        try (Stream<Path> files = Files.list(uploadDir())) {
            return files.toList();
        }
    }

    private Map<String, String> headers() {
        return Map.of("Webhook-Url", webhookUrl(HOOK));
    }

    @Test
    void aPartIsStreamedToTheOwnerOnlyUploadDirectoryWhileTheRequestIsRead() throws Exception {
        byte[] image = Arrays.copyOf(TestImages.png(11), 150_000);
        Multipart form = new Multipart().file("image", "scan.png", "image/png", image);
        byte[] body = form.bytes();

        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + form.contentType(),
                    "Content-Length: " + body.length, "Webhook-Url: " + webhookUrl(HOOK));
            client.send(Arrays.copyOf(body, 100_000));
            // Half of it is on disk already, in the data dir, before the request is complete.
            await().atMost(Duration.ofSeconds(10)).until(() -> partFiles().size() == 1);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploadDir())));
            client.send(Arrays.copyOfRange(body, 100_000, body.length));
            RawConnection.Response answer = client.answer();
            assertEquals(200, answer.status(), answer.body());
        }
    }

    @Test
    void refusedRequestsLeaveNoPartFile() {
        // no Webhook-Url: refused after the body was read
        assertEquals(400, uploadImage("scan.png", "image/png", TestImages.png(1), Map.of()).statusCode());
        assertEquals(415, uploadImage("notes.png", "image/png", "just text".getBytes(StandardCharsets.UTF_8), headers())
                .statusCode());
    }

    @Test
    void twoImagePartsAreRefusedNamingTheField() {
        Multipart form = new Multipart().file("image", "a.png", "image/png", TestImages.png(1))
                .file("image", "b.png", "image/png", TestImages.png(2));

        HttpResponse<String> answer = upload(form, headers());

        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode error = json(answer.body());
        assertEquals("duplicate_image", error.path("error").asText(), answer.body());
        assertTrue(error.path("message").asText().contains("'image'"), answer.body());
    }

    @Test
    void aSecondFilePartUnderAnotherNameIsRefused() {
        Multipart form = new Multipart().file("image", "a.png", "image/png", TestImages.png(1))
                .file("extra", "b.png", "image/png", TestImages.png(2));

        HttpResponse<String> answer = upload(form, headers());

        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("invalid_request", json(answer.body()).path("error").asText(), answer.body());
    }

    @Test
    void anEmptyFileIsRefusedClearly() {
        HttpResponse<String> answer = uploadImage("empty.png", "image/png", new byte[0], headers());

        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode error = json(answer.body());
        assertEquals("empty_image", error.path("error").asText(), answer.body());
        assertTrue(error.path("message").asText().contains("empty"), answer.body());
    }

    @Test
    void theFilenameIsReducedToItsLastSegmentWithoutControlCharactersAndAtMost255Characters() {
        assertEquals("scan.png", acceptedFilename("C:\\exams\\od\\scan.png"));
        assertEquals("scan.png", acceptedFilename("../../etc/scan.png"));
        assertEquals("a_b.png", acceptedFilename("a\u0001b.png"));
        assertEquals("image", acceptedFilename("exams/"));
        String longName = acceptedFilename("x".repeat(400) + ".png");
        assertEquals(255, longName.length());
        assertTrue(longName.endsWith("x.png"), longName);
    }

    private String acceptedFilename(String clientName) {
        HttpResponse<String> answer = uploadImage(clientName, "image/png", TestImages.png(3), headers());
        accepted(answer);
        return json(answer.body()).path("filename").asText();
    }

    @Test
    void aBodyOverTheLimitWithManyPartsLeavesNoPartFile() throws Exception {
        // Chunked, so no Content-Length tells the limit in advance: the parts are read until the limit is crossed,
        // and the parts that start after that must not be stored either.
        Multipart form = new Multipart();
        for (int i = 0; i < 40; i++) {
            form.file("part" + i, "p" + i + ".png", "image/png", Arrays.copyOf(TestImages.png(i), 10_000));
        }
        byte[] body = form.bytes();
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + form.contentType(),
                    "Transfer-Encoding: chunked", "Webhook-Url: " + webhookUrl(HOOK));
            for (int offset = 0; offset < body.length; offset += 8_192) {
                client.chunk(Arrays.copyOfRange(body, offset, Math.min(body.length, offset + 8_192)));
            }
            client.lastChunk();
            RawConnection.Response answer = client.answer();
            assertEquals(413, answer.status(), answer.body());
        }
    }

    @Test
    void aClientThatHangsUpHalfWayLeavesNoPartFile() throws Exception {
        Multipart form = new Multipart().file("image", "scan.png", "image/png", Arrays.copyOf(TestImages.png(12), 150_000));
        byte[] body = form.bytes();
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + form.contentType(),
                    "Content-Length: " + body.length, "Webhook-Url: " + webhookUrl(HOOK));
            client.send(Arrays.copyOf(body, 90_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> partFiles().size() == 1);
        } // hangs up
    }

    @Test
    void aFormCutOffInTheMiddleOfAPartIsRefusedAndLeavesNoPartFile() throws Exception {
        // The body ends in the middle of the part: no closing boundary will ever come.
        Multipart form = new Multipart().file("image", "scan.png", "image/png", Arrays.copyOf(TestImages.png(13), 50_000));
        byte[] truncated = Arrays.copyOf(form.bytes(), 40_000);
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + form.contentType(),
                    "Content-Length: " + truncated.length, "Webhook-Url: " + webhookUrl(HOOK));
            client.send(truncated);
            RawConnection.Response answer = client.answer();
            assertEquals(400, answer.status(), answer.body());
            JsonNode error = json(answer.body());
            assertEquals("invalid_request", error.path("error").asText(), answer.body());
            assertTrue(error.path("message").asText().contains("'image'"), answer.body());
        }
    }

    @Test
    void aFormThatNeverEndsLeavesNoPartFileWhenTheClientGivesUp() throws Exception {
        Multipart form = new Multipart().file("image", "scan.png", "image/png", Arrays.copyOf(TestImages.png(14), 50_000));
        byte[] truncated = Arrays.copyOf(form.bytes(), 40_000);
        try (RawConnection client = new RawConnection(peers().httpPort)) {
            client.head("POST /invocations HTTP/1.1", "Content-Type: " + form.contentType(),
                    "Content-Length: " + truncated.length, "Webhook-Url: " + webhookUrl(HOOK));
            client.send(truncated);
            await().atMost(Duration.ofSeconds(10)).until(() -> partFiles().size() == 1);
        } // gives up before the gateway does
    }
}
