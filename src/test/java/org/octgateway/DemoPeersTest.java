package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The try-out of README's run command: the demo model and webhook sink, carrying an upload end to end. */
class DemoPeersTest extends GatewayTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.demo.enabled", "true");
        properties.setProperty("gateway.inference.url", "http://localhost:" + peers().httpPort + "/demo/inference");
    }

    @Test
    void theDemoModelAnswersFactsOfTheImageAndEchoesTheParameters() throws Exception {
        byte[] scan = Files.readAllBytes(Path.of("samples", "oct-scan-512x496.png"));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway("/demo/inference"))
                .header("X-Request-ID", "r-1").header("Examination-ID", "exam-42")
                .header("Inference-Parameters", "{\"low_confidence_p\":0.2}")
                .POST(HttpRequest.BodyPublishers.ofByteArray(scan)));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
        assertFalse(answer.headers().firstValue("Inference-Parameters").isPresent(), "request headers are not answered back");
        JsonNode facts = json(answer.body());
        assertEquals("png", facts.path("format").asText());
        assertEquals(512, facts.path("width").asInt());
        assertEquals(496, facts.path("height").asInt());
        assertEquals(scan.length, facts.path("bytes").asInt());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(scan)), facts.path("sha256").asText());
        assertEquals("r-1", facts.path("request_id").asText());
        assertEquals("exam-42", facts.path("examination_id").asText());
        assertEquals(0.2, facts.path("parameters").path("low_confidence_p").asDouble());
    }

    @Test
    void theDemoModelRefusesWhatIsNotAnImageWith415() {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway("/demo/inference"))
                .POST(HttpRequest.BodyPublishers.ofString("not an image")));
        assertEquals(415, answer.statusCode(), answer.body());
        assertTrue(json(answer.body()).path("format").isNull());
    }

    @Test
    void anUploadReachesTheDemoSinkWithTheDemoModelsFacts() throws Exception {
        byte[] scan = Files.readAllBytes(Path.of("samples", "oct-scan-512x496.png"));
        String requestUuid = accepted(uploadImage("scan.png", "image/png", scan, Map.of(
                "Webhook-Url", "http://localhost:" + peers().httpPort + "/demo/webhook", "Examination-ID", "exam-42")));
        JsonNode envelope = await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode kept : json(get("/demo/webhook").body())) {
                if (requestUuid.equals(kept.path("request_uuid").asText())) {
                    return kept;
                }
            }
            return null;
        }, kept -> kept != null);
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        assertEquals(512, envelope.path("result").path("width").asInt());
        assertEquals(requestUuid, envelope.path("result").path("request_id").asText());
        assertTrue(Files.exists(peers().dataDir.resolve("demo-webhook").resolve(requestUuid + ".json")));
    }
}
