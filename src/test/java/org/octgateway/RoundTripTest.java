package org.octgateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An uploaded scan goes byte for byte to the inference server, and its answer to the webhook, signed. */
class RoundTripTest extends GatewayTestSupport {

    private static final String SECRET = "round-trip-test-secret";
    private static final String INFERENCE_ANSWER = "{\"layers\":[{\"name\":\"RNFL\",\"thickness_um\":97.5}],\"quality\":0.93}";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.webhook.secret", SECRET);
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson(INFERENCE_ANSWER)));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @Test
    void uploadedScanReachesTheInferenceServerByteForByteAndTheWebhookGetsTheSignedResult() throws Exception {
        byte[] scan = TestImages.sampleScan();
        String hook = "/hooks/round-trip";
        long before = Instant.now().getEpochSecond();

        var answer = uploadImage("oct-scan-512x496.png", "image/png", scan, Map.of(
                "Webhook-Url", webhookUrl(hook),
                "Examination-ID", "exam-42",
                "Inference-Parameters", "{\"scan_width\": 6}"));

        // The answer, at once: {filename, status, request_uuid}.
        String uuid = accepted(answer);
        JsonNode body = json(answer.body());
        assertEquals("oct-scan-512x496.png", body.path("filename").asText(), answer.body());
        assertEquals(3, body.size(), "keys of " + answer.body());

        // The inference server: exactly the uploaded bytes, with the job's headers.
        JsonNode envelope = awaitEnvelope(hook, uuid);
        List<LoggedRequest> calls = inferenceCallsFor(uuid);
        assertEquals(1, calls.size());
        LoggedRequest call = calls.get(0);
        assertArrayEquals(scan, call.getBody());
        assertEquals("image/png", call.getHeader("Content-Type"));
        assertEquals(uuid, call.getHeader("X-Request-ID"));
        assertEquals("exam-42", call.getHeader("Examination-ID"));
        assertEquals(6, json(call.getHeader("Inference-Parameters")).path("scan_width").asInt());

        // The webhook: the completed envelope with the inference answer.
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        assertEquals(uuid, envelope.path("request_uuid").asText());
        assertEquals(json(INFERENCE_ANSWER), envelope.path("result"));
        assertEquals("oct-scan-512x496.png", envelope.path("filename").asText());
        assertEquals("exam-42", envelope.path("examination_id").asText());
        assertTrue(envelope.path("result_path").isNull(), envelope.toString());

        // Standard Webhooks headers, and a signature the receiver can check with the shared secret.
        LoggedRequest delivery = webhookCalls(hook).stream()
                .filter(r -> uuid.equals(json(r.getBodyAsString()).path("request_uuid").asText())).findFirst().orElseThrow();
        assertEquals(uuid, delivery.getHeader("webhook-id"));
        String timestamp = delivery.getHeader("webhook-timestamp");
        long seconds = Long.parseLong(timestamp);
        assertTrue(seconds >= before - 1 && seconds <= Instant.now().getEpochSecond() + 1, "webhook-timestamp " + timestamp);
        assertTrue(delivery.getHeader("Content-Type").startsWith("application/json"));
        String expected = "v1," + hmacSha256Base64(SECRET, uuid + "." + timestamp + "." + delivery.getBodyAsString());
        assertEquals(expected, delivery.getHeader("webhook-signature"));
    }

    @Test
    void theModelsJsonIsAnnouncedAsItCameNumbersUnrounded() {
        String exam = "exam-exact-json";
        String result = "{\"p\": 0.123456789012345678901234, \"n\": 12345678901234567890123, \"labels\": [\"drusen\", \"cnv\"]}";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .willReturn(okJson(" " + result + "\n")));
        String hook = "/hooks/exact-json";

        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(31),
                Map.of("Webhook-Url", webhookUrl(hook), "Examination-ID", exam)));

        awaitEnvelope(hook, uuid);
        String body = webhookCalls(hook).get(0).getBodyAsString();
        assertTrue(body.contains("\"result\":" + result), body);
    }

    @Test
    void anAnswerWithTrailingTextIsStillReadAsTheJsonItStartsWith() {
        String exam = "exam-trailing-json";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .willReturn(okJson("{\"a\": 1} and then some")));
        String hook = "/hooks/trailing-json";

        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(32),
                Map.of("Webhook-Url", webhookUrl(hook), "Examination-ID", exam)));

        JsonNode envelope = awaitEnvelope(hook, uuid);
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        assertEquals(json("{\"a\":1}"), envelope.path("result"));
    }

    /** What an HTTP client adds to any request on its own (connection management, framing, identification). */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "user-agent", "accept-encoding", "expect");

    @Test
    void thePeersSeeExactlyTheHeadersTheRoutesSetAndNothingOfTheQueuedMessages() {
        String hook = "/hooks/exact-headers";
        String uuid = accepted(uploadImage("b.png", "image/png", TestImages.png(6), Map.of(
                "Webhook-Url", webhookUrl(hook), "Examination-ID", "exam-7")));
        awaitEnvelope(hook, uuid);

        // routes/inference.yaml, call-inference
        assertEquals(Set.of("content-type", "inference-parameters", "x-request-id", "examination-id"),
                headerNames(inferenceCallsFor(uuid).get(0)));
        // routes/delivery.yaml, deliver-webhook (the secret is set in this test)
        LoggedRequest delivery = webhookCalls(hook).stream()
                .filter(r -> uuid.equals(json(r.getBodyAsString()).path("request_uuid").asText())).findFirst().orElseThrow();
        assertEquals(Set.of("content-type", "webhook-id", "webhook-timestamp", "webhook-signature"), headerNames(delivery));
    }

    private static Set<String> headerNames(LoggedRequest request) {
        return request.getHeaders().keys().stream().map(name -> name.toLowerCase(Locale.ROOT))
                .filter(name -> !TRANSPORT_HEADERS.contains(name)).collect(Collectors.toSet());
    }

    @Test
    void inferenceServerSeesOnlyTheJobsHeaders() {
        String uuid = accepted(uploadImage("a.png", "image/png", TestImages.png(5), Map.of(
                "Webhook-Url", webhookUrl("/hooks/headers"), "X-Secret-Client-Header", "do-not-forward")));

        awaitEnvelope("/hooks/headers", uuid);
        LoggedRequest call = inferenceCallsFor(uuid).get(0);
        assertTrue(call.getHeader("X-Secret-Client-Header") == null, "client header forwarded to the inference server");
        assertTrue(call.getHeader("Webhook-Url") == null, "Webhook-Url forwarded to the inference server");
        assertTrue(call.getHeader("Examination-ID") == null, "no Examination-ID was given");
    }

    private static String hmacSha256Base64(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
