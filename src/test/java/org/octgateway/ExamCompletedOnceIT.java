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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.BrokerContract;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 50-image exam folder ends with exactly one {@code inference.exam_completed} envelope: with a {@code kill -9} of the
 * real jar in the middle (restarted on the same data directory, embedded H2 and broker), and with two gateway jars on
 * one broker and one PostgreSQL, both taking the folder's jobs.
 */
class ExamCompletedOnceIT {

    private static final int IMAGES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("target", "test-data").toAbsolutePath();

    private final WireMockServer inference = new WireMockServer(options().dynamicPort().containerThreads(40));
    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private Path buckets;

    @BeforeEach
    void startPeersAndTheExamFolder() throws IOException {
        inference.start();
        webhook.start();
        // a third of a second per image: the folder takes a while, the kill lands in its middle
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"quality\":0.9}").withFixedDelay(300)));
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        Files.createDirectories(ROOT);
        buckets = Files.createTempDirectory(ROOT, "exam-once-buckets-");
        Path folder = Files.createDirectories(buckets.resolve("oct-input").resolve("exam-50"));
        for (int i = 0; i < IMAGES; i++) {
            Files.write(folder.resolve(String.format("slice-%03d.png", i)), TestImages.png(500 + i));
        }
    }

    @AfterEach
    void stopEverything() {
        gateways.forEach(GatewayProcess::kill);
        inference.stop();
        webhook.stop();
    }

    @Test
    void aFolderWhoseGatewayIsKilledMidwayEndsWithOneExamCompletedAfterTheRestart() throws Exception {
        Path dataDir = Files.createTempDirectory(ROOT, "exam-once-data-");
        Map<String, String> settings = settings(dataDir);
        GatewayProcess first = start("first", settings);
        List<String> uuids = postFolder(first);

        await("some results delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> results().size() >= 10);
        assertTrue(results().size() < IMAGES, "the kill lands before the folder is done");
        new ProcessBuilder("kill", "-KILL", Long.toString(first.process.pid())).inheritIO().start().waitFor();
        assertTrue(first.process.waitFor(20, TimeUnit.SECONDS), "the gateway did not die");

        start("second", settings);
        JsonNode exam = awaitOneExamCompleted();
        assertEquals(Set.copyOf(uuids), Set.copyOf(results()), "every image's result reached the webhook");
        assertEquals(IMAGES, exam.path("counts").path("completed").asInt(), exam.toString());
        assertEquals(new TreeSet<>(uuids), imagesOf(exam));
    }

    @Test
    void twoGatewaysOnOneBrokerAndOnePostgresqlSendExamCompletedOnce() throws Exception {
        // a real broker over TCP in this JVM, carrying the gateway's contract (as deploy/broker.xml gives one)
        try (TcpBroker broker = new TcpBroker(new BrokerContract("gateway.dead-letters").addressSettings()).start()) {
            String database = PostgresServer.newDatabase();
            List<GatewayProcess> two = new ArrayList<>();
            for (String name : List.of("one", "two")) {
                Map<String, String> settings = settings(Files.createTempDirectory(ROOT, "exam-once-" + name + "-"));
                settings.put("gateway.broker.url", broker.url());
                settings.put("gateway.db.url", database);
                settings.put("gateway.db.username", "postgres");
                two.add(start(name, settings));
            }
            List<String> uuids = postFolder(two.get(0));

            JsonNode exam = awaitOneExamCompleted();
            assertEquals(IMAGES, exam.path("counts").path("completed").asInt(), exam.toString());
            assertEquals(new TreeSet<>(uuids), imagesOf(exam));
            for (GatewayProcess gateway : two) {
                assertTrue(gateway.logText().contains("Job completed"), "both gateways took jobs of the folder");
            }
        } finally {
            gateways.forEach(GatewayProcess::kill);
        }
    }

    private Map<String, String> settings(Path dataDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("gateway.data-dir", dataDir.toString());
        settings.put("gateway.demo.enabled", "false");
        settings.put("gateway.inference.url", inference.baseUrl() + "/inference");
        settings.put("gateway.inference.concurrency", "2");
        settings.put("gateway.webhook.allowed-hosts", "localhost");
        settings.put("gateway.webhook.retry-schedule", "0s,200ms");
        settings.put("gateway.gcs.backend", "local");
        settings.put("gateway.local.root", buckets.toString());
        // the repair path runs during the test: claims confirmed after 1.5 s, queued again under their duplicate id
        settings.put("gateway.exam.sweep-interval-ms", "500");
        settings.put("gateway.exam.claim-grace-ms", "1500");
        return settings;
    }

    private GatewayProcess start(String name, Map<String, String> settings) throws IOException {
        GatewayProcess gateway = new GatewayProcess(GatewayProcess.workingCopy(ROOT, "exam-once-work-"),
                Path.of("target", "exam-completed-once-" + name + ".log"), settings);
        gateways.add(gateway);
        return gateway.awaitPing(Duration.ofSeconds(90));
    }

    private List<String> postFolder(GatewayProcess gateway) throws Exception {
        HttpResponse<String> answer = GatewayProcess.HTTP.send(HttpRequest.newBuilder(gateway.business("/bucket_invocations"))
                .header("Input-Location", "exam-50/").header("Webhook-Url", webhook.baseUrl() + "/hook")
                .header("Examination-ID", "exam-50").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        List<String> uuids = new ArrayList<>();
        JSON.readTree(answer.body()).path("request_uuid").forEach(uuid -> uuids.add(uuid.asText()));
        assertEquals(IMAGES, uuids.size());
        return uuids;
    }

    /** Waits for the exam_completed envelope, then as long again as a repair would take: still only one. */
    private JsonNode awaitOneExamCompleted() {
        await("exam_completed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> !examCompleted().isEmpty());
        await("a repair's chance to send it twice").pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        List<JsonNode> envelopes = examCompleted();
        assertEquals(1, envelopes.size(), "exam_completed envelopes: " + envelopes);
        return envelopes.get(0);
    }

    private List<JsonNode> envelopes() {
        return webhook.findAll(postRequestedFor(urlPathEqualTo("/hook"))).stream().map(request -> {
            try {
                return JSON.readTree(request.getBodyAsString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private List<JsonNode> examCompleted() {
        return envelopes().stream().filter(e -> "inference.exam_completed".equals(e.path("type").asText())).toList();
    }

    private Set<String> results() {
        Set<String> uuids = new TreeSet<>();
        envelopes().stream().filter(e -> "inference.result".equals(e.path("type").asText()))
                .forEach(e -> uuids.add(e.path("request_uuid").asText()));
        return uuids;
    }

    private static Set<String> imagesOf(JsonNode exam) {
        Set<String> uuids = new TreeSet<>();
        exam.path("images").forEach(image -> uuids.add(image.path("request_uuid").asText()));
        return uuids;
    }
}
