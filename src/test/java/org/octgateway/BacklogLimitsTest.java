package org.octgateway;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.octgateway.contract.ApiError;
import org.octgateway.queue.BrokerCounts;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.queue.EmbeddedBroker;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job queue's limits, with the workers paused so jobs stay queued: the backlog ceiling (429 queue_full), each
 * caller's share (429 caller_queue_full for that caller only) and the images one request may create (400); a refused
 * request queues nothing, and the inference server never sees it.
 */
class BacklogLimitsTest extends GatewayTestSupport {

    private static final String HEAVY_KEY = "heavy-7f3c2a9e51d04b68";
    private static final String LIGHT_KEY = "light-0c4e8d2b6a1f5937";
    private static final String HOOK = "/hooks/backlog";
    private static final int MAX_BACKLOG = 5;
    private static final int MAX_PER_CALLER = 3;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.api-keys", "heavy:" + HEAVY_KEY + ",light:" + LIGHT_KEY);
        properties.setProperty("gateway.queue.max-backlog", Integer.toString(MAX_BACKLOG));
        properties.setProperty("gateway.queue.max-backlog-per-caller", Integer.toString(MAX_PER_CALLER));
        properties.setProperty("gateway.bucket.max-images-per-request", "3");
        properties.setProperty("gateway.gcs.backend", "local");
        properties.setProperty("gateway.local.root", buckets().toString());
    }

    private Path buckets() {
        return peers().dataDir.resolve("buckets");
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    /** Each test starts from an empty queue, with the workers paused so what it queues stays there. */
    @BeforeEach
    void emptyQueueAndPausedWorkers() throws Exception {
        resumeWorkers();
        await("the queue drained").atMost(DELIVERY_TIMEOUT).until(() -> queueBacklog() == 0);
        context.getRouteController().stopRoute("job-worker");
        inference().resetRequests();
    }

    private void resumeWorkers() throws Exception {
        context.getRouteController().startRoute("job-worker");
    }

    private double queueBacklog() {
        return metricValue("gateway_queue_backlog").orElse(-1.0);
    }

    private HttpResponse<String> uploadAs(String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Webhook-Url", webhookUrl(HOOK));
        headers.put("X-API-Key", key);
        return uploadImage("scan.png", "image/png", TestImages.png(31), headers);
    }

    private HttpResponse<String> folderAs(String key, String folder) {
        return send(HttpRequest.newBuilder(gateway("/bucket_invocations"))
                .header("X-API-Key", key).header("Webhook-Url", webhookUrl(HOOK)).header("Input-Location", folder)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private void putImages(String folder, int count) throws IOException {
        Path dir = Files.createDirectories(buckets().resolve("oct-input").resolve(folder));
        for (int i = 0; i < count; i++) {
            Files.write(dir.resolve("slice-" + i + ".png"), TestImages.png(40 + i));
        }
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String error) {
        assertEquals(status, answer.statusCode(), answer.body());
        JsonNode body = json(answer.body());
        assertEquals("error", body.path("status").asText(), answer.body());
        assertEquals(error, body.path("error").asText(), answer.body());
        assertTrue(!body.path("message").asText().isBlank(), answer.body());
        if (status == 429) {
            String retryAfter = answer.headers().firstValue("Retry-After").orElse("");
            assertTrue(retryAfter.matches("[1-9][0-9]*"), "Retry-After in seconds: '" + retryAfter + "'");
        }
    }

    /** The accepted uploads reach the inference server once the workers resume; nothing else does. */
    private void assertOnlyTheseReachInference(List<String> accepted) throws Exception {
        resumeWorkers();
        for (String uuid : accepted) {
            awaitEnvelope(HOOK, uuid);
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> inference().findAll(postRequestedFor(urlPathEqualTo("/inference"))).size() == accepted.size());
        for (String uuid : accepted) {
            assertEquals(1, inferenceCallsFor(uuid).size(), uuid);
        }
    }

    @Test
    void aRequestBeyondTheBacklogCeilingIsRefusedWith429AndNothingIsQueued() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < MAX_PER_CALLER; i++) {
            accepted.add(accepted(uploadAs(HEAVY_KEY)));
        }
        accepted.add(accepted(uploadAs(LIGHT_KEY)));
        accepted.add(accepted(uploadAs(LIGHT_KEY)));
        assertEquals(MAX_BACKLOG, queueBacklog());

        assertRefused(uploadAs(LIGHT_KEY), 429, "queue_full");
        assertEquals(MAX_BACKLOG, queueBacklog(), "nothing was queued for the refused request");

        assertOnlyTheseReachInference(accepted);
        accepted(uploadAs(LIGHT_KEY)); // room again once the workers made it
    }

    @Test
    void aFolderThatWouldGoBeyondTheCeilingIsRefusedWhole() throws Exception {
        putImages("exam-whole", 3);
        List<String> accepted = new ArrayList<>();
        accepted.add(accepted(uploadAs(LIGHT_KEY)));
        accepted.add(accepted(uploadAs(LIGHT_KEY)));
        accepted.add(accepted(uploadAs(HEAVY_KEY)));

        assertRefused(folderAs(HEAVY_KEY, "exam-whole"), 429, "queue_full"); // 3 + 3 > 5: not even 2 of them
        assertEquals(3, queueBacklog(), "no job of the folder was queued");
        assertOnlyTheseReachInference(accepted);
    }

    @Test
    void aCallerBeyondItsShareIsRefusedWhileAnotherCallerIsStillAccepted() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < MAX_PER_CALLER; i++) {
            accepted.add(accepted(uploadAs(HEAVY_KEY)));
        }
        HttpResponse<String> refused = uploadAs(HEAVY_KEY);
        assertRefused(refused, 429, "caller_queue_full");
        assertTrue(json(refused.body()).path("message").asText().contains("heavy"), refused.body());

        accepted.add(accepted(uploadAs(LIGHT_KEY)));
        assertEquals(MAX_PER_CALLER + 1, queueBacklog());

        assertOnlyTheseReachInference(accepted);
        accepted(uploadAs(HEAVY_KEY)); // its jobs were taken by the workers: its share is free again
    }

    @Test
    void aFolderWithMoreImagesThanOneRequestMayQueueIsRefusedWith400() throws Exception {
        putImages("exam-large", 4);
        HttpResponse<String> refused = folderAs(LIGHT_KEY, "exam-large");
        assertRefused(refused, 400, "too_many_images");
        assertTrue(json(refused.body()).path("message").asText().contains("4 images"), refused.body());
        assertEquals(0, queueBacklog());

        putImages("exam-small", 3);
        HttpResponse<String> folder = folderAs(LIGHT_KEY, "exam-small");
        assertEquals(200, folder.statusCode(), folder.body());
        assertEquals(3, json(folder.body()).path("request_uuid").size(), folder.body());
    }

    /** A restarted gateway (a fresh count) learns each caller's waiting jobs from the broker. */
    @Test
    void callersBacklogsAreRecountedFromTheBroker() throws Exception {
        accepted(uploadAs(HEAVY_KEY));
        accepted(uploadAs(HEAVY_KEY));
        accepted(uploadAs(LIGHT_KEY));

        ConnectionFactory broker = context.getRegistry().lookupByNameAndType("jms", JmsComponent.class)
                .getConfiguration().getConnectionFactory();
        EmbeddedBroker embedded = context.getRegistry().findSingleByType(EmbeddedBroker.class);
        // asked directly (the embedded broker) and by management messages (how an external broker is asked)
        for (BrokerCounts counts : List.of(new BrokerCounts(embedded, broker, "gateway.jobs", JSON),
                new BrokerCounts(null, broker, "gateway.jobs", JSON))) {
            assertEquals(3, counts.messageCount());
            CallerBacklog afterRestart = new CallerBacklog(counts, MAX_BACKLOG, MAX_PER_CALLER, 3);
            assertEquals(0, afterRestart.waitingJobs("heavy"), "a fresh count knows nothing yet");
            afterRestart.recount();
            assertEquals(2, afterRestart.waitingJobs("heavy"));
            assertEquals(1, afterRestart.waitingJobs("light"));
            ApiError refused = assertThrows(ApiError.class, () -> afterRestart.admit("heavy", 2), "2 waiting + 2 > 3");
            assertEquals("caller_queue_full", refused.code());
        }
    }
}
