package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With gateway.api-keys set, the business API serves only callers with a key (Authorization: Bearer or X-API-Key),
 * answers others 401 JSON with WWW-Authenticate, keeps /ping and /api-doc open, and never logs a key.
 */
class ApiKeyAuthenticationTest extends GatewayTestSupport {

    private static final String EAST_KEY = "east-5b0e0c0f3c9a4d2e8f71";
    private static final String LAB_KEY = "lab-91d2a77e0b6c4f3aa2c8";
    private static final String HOOK = "/hooks/authentication";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.api-keys", "ris-east:" + EAST_KEY + ",pacs-lab:" + LAB_KEY);
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private HttpResponse<String> uploadWith(Map<String, String> credentials) {
        Map<String, String> headers = new java.util.HashMap<>(credentials);
        headers.put("Webhook-Url", webhookUrl(HOOK));
        return uploadImage("scan.png", "image/png", TestImages.png(21), headers);
    }

    private static void assertUnauthorized(HttpResponse<String> answer) {
        assertEquals(401, answer.statusCode(), answer.body());
        assertEquals("Bearer", answer.headers().firstValue("WWW-Authenticate").orElse(""), answer.headers().map().toString());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = json(answer.body());
        assertEquals("error", body.path("status").asText(), answer.body());
        assertEquals("unauthorized", body.path("error").asText(), answer.body());
        assertTrue(body.path("message").asText().contains("API key"), answer.body());
    }

    @Test
    void anUnknownCallersUploadIsRefusedBeforeItsBodyIsSent() throws Exception {
        // 60 MB announced, not a byte of it sent: the 401 must not wait for the body (nor count it in flight)
        for (String credentials : List.of("X-API-Key: not-a-key-of-anyone-here", "Authorization: Bearer " + EAST_KEY + "x",
                "X-Nothing: no key at all")) {
            try (RawConnection connection = new RawConnection(peers().httpPort)) {
                connection.head("POST /invocations HTTP/1.1", credentials, "Webhook-Url: " + webhookUrl(HOOK),
                        "Content-Type: multipart/form-data; boundary=b", "Content-Length: 60000000");
                RawConnection.Response answer = connection.answer(java.time.Duration.ofSeconds(5));
                assertEquals(401, answer.status(), credentials + ": " + answer.body());
                assertEquals("Bearer", answer.header("WWW-Authenticate"), credentials);
                assertEquals("unauthorized", json(answer.body()).path("error").asText(), answer.body());
            }
        }
    }

    @Test
    void aKnownCallersUploadIsReadAsBefore() {
        accepted(uploadWith(Map.of("X-API-Key", LAB_KEY)));
    }

    @Test
    void anUploadWithoutAKeyIsRefusedWith401AndNothingIsQueued() {
        assertUnauthorized(uploadWith(Map.of()));
        assertUnauthorized(uploadWith(Map.of("Authorization", "Basic " + EAST_KEY)));
        assertUnauthorized(uploadWith(Map.of("Authorization", "Bearer ")));
        assertEquals(0, metricValue("gateway_caller_jobs_accepted_total{caller=\"anonymous\"}").orElse(0.0));
    }

    @Test
    void anUploadWithAWrongKeyIsRefusedWith401() {
        assertUnauthorized(uploadWith(Map.of("Authorization", "Bearer " + EAST_KEY + "x")));
        assertUnauthorized(uploadWith(Map.of("X-API-Key", "not-a-key-of-anyone-at-all")));
    }

    @Test
    void aKeyInEitherHeaderIsAcceptedAsItsCaller() {
        String bearer = accepted(uploadWith(Map.of("Authorization", "Bearer " + EAST_KEY)));
        String lowerCaseScheme = accepted(uploadWith(Map.of("Authorization", "bearer " + EAST_KEY)));
        String apiKey = accepted(uploadWith(Map.of("X-API-Key", LAB_KEY)));
        for (String uuid : List.of(bearer, lowerCaseScheme, apiKey)) {
            assertEquals("completed", awaitEnvelope(HOOK, uuid).path("status").asText());
        }
        assertTrue(metricValue("gateway_caller_jobs_accepted_total{caller=\"ris-east\"}").orElse(0.0) >= 2);
        assertTrue(metricValue("gateway_caller_jobs_accepted_total{caller=\"pacs-lab\"}").orElse(0.0) >= 1);
    }

    @Test
    void theKeyNeverReachesThePeersNorTheLog() {
        String uuid;
        try (LogCapture log = new LogCapture()) {
            uuid = accepted(uploadWith(Map.of("Authorization", "Bearer " + EAST_KEY)));
            awaitEnvelope(HOOK, uuid);
            accepted(uploadWith(Map.of("X-API-Key", LAB_KEY)));
            assertUnauthorized(uploadWith(Map.of("X-API-Key", EAST_KEY.toUpperCase())));
            String text = log.text();
            assertTrue(text.contains("Accepted 1 job(s) from caller ris-east"), text);
            assertTrue(text.contains("Job accepted"), "the per-job line at DEBUG: " + text);
            for (String secret : List.of(EAST_KEY, LAB_KEY, EAST_KEY.toUpperCase())) {
                assertFalse(text.contains(secret), "a key in the log:\n" + text);
            }
        }
        inferenceCallsFor(uuid).forEach(call -> {
            assertFalse(call.containsHeader("Authorization"));
            assertFalse(call.getBodyAsString().contains(EAST_KEY));
        });
        webhookCalls(HOOK).forEach(call -> assertFalse(call.getBodyAsString().contains(EAST_KEY)));
    }

    @Test
    void pingAndTheApiDocumentNeedNoKey() {
        assertEquals(200, get("/ping").statusCode());
        assertEquals(200, get("/api-doc").statusCode());
    }

    /** Every business operation of the REST contract (/api-doc), present and future: only GET /ping is open. */
    @Test
    void everyBusinessOperationRefusesCallersWithoutAKeyBeforeLookingAtTheRequest() {
        List<String> operations = new ArrayList<>();
        JsonNode paths = json(get("/api-doc").body()).path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.path(path).fieldNames().forEachRemaining(verb -> {
            if ("get".equals(verb) && "/ping".equals(path)) {
                return;
            }
            operations.add(verb.toUpperCase() + " " + path);
            // no headers at all: without the authentication step first this would be a 400 missing_header
            // a path parameter gets any well-formed value: the key is checked before it is looked at
            String target = path.replaceAll("\\{[^}]+}", "3f0e1c7a-1111-4222-8333-444455556666");
            assertUnauthorized(send(HttpRequest.newBuilder(gateway(target))
                    .method(verb.toUpperCase(), HttpRequest.BodyPublishers.noBody())));
        }));
        assertTrue(operations.containsAll(List.of("POST /invocations", "POST /bucket_invocations",
                "POST /bucket_invocations_azure_uae")), operations.toString());
    }
}
