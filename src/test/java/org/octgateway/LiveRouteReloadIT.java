package org.octgateway;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live reconfiguration of the real jar: an integration engineer edits routes/delivery.yaml of a running
 * gateway (its working directory is a copy of the repository's routes/ and application.properties) and the
 * next webhook carries the change, without a restart, with the Java routes untouched and /ping 200 all along.
 * An edit that breaks the YAML leaves the previous routes serving. Demo inference on; the webhook is WireMock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveRouteReloadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(15);
    private static final String HEADER = "X-Gateway-Reloaded";
    private static final String PREPARE_STEP = """
                    - setHeader:
                        name: Content-Type
                        constant: application/json
            """;

    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private final List<String> pings = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    private GatewayProcess gateway;
    private Path deliveryYaml;
    private int seed;

    @BeforeAll
    void startGateway() throws IOException {
        webhook.start();
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        Path workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "live-reload-");
        deliveryYaml = workDir.resolve("routes/delivery.yaml");
        gateway = new GatewayProcess(workDir, Path.of("target", "live-reload-it.log"), Map.of(
                "gateway.data-dir", workDir.resolve("data").toString(),
                "gateway.local.root", workDir.resolve("data/buckets").toString(),
                "gateway.demo.enabled", "true",
                // the webhook peer is WireMock on localhost, not the demo sink: allow that host by name
                "gateway.webhook.allowed-hosts", "localhost"));
        gateway.awaitPing(Duration.ofSeconds(90));
        // /ping, every 200 ms, for the whole test
        pinger.scheduleWithFixedDelay(() -> pings.add(Instant.now() + " " + gateway.pingStatus()), 0, 200, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    void stopEverything() {
        pinger.shutdownNow();
        if (gateway != null) {
            gateway.kill();
        }
        webhook.stop();
    }

    @Test
    void editedDeliveryRouteChangesTheWebhookWithoutARestartAndABrokenEditKeepsThePreviousRoutes() throws Exception {
        long pid = gateway.process.pid();
        String original = Files.readString(deliveryYaml);
        assertTrue(original.contains(PREPARE_STEP), "routes/delivery.yaml no longer has the step this test edits after");

        // before: no such header
        LoggedRequest before = deliveredAndCompleted("/hooks/before");
        assertNull(before.getHeader(HEADER));

        // the engineer adds a header to every webhook call
        Instant edited = Instant.now();
        Files.writeString(deliveryYaml, original.replace(PREPARE_STEP, PREPARE_STEP + """
                        - setHeader:
                            name: X-Gateway-Reloaded
                            constant: "yes"
                """));
        LoggedRequest reloaded = await("a webhook carrying " + HEADER + " after the edit").atMost(RELOAD_BOUND)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> deliveredAndCompleted("/hooks/after-edit"), call -> "yes".equals(call.getHeader(HEADER)));
        Duration took = Duration.between(edited, Instant.now());
        System.out.println("LiveRouteReloadIT: edit visible at the webhook after " + took.toMillis() + " ms");
        assertEquals(pid, gateway.process.pid());
        assertTrue(gateway.process.isAlive(), "no restart");
        assertTrue(json(reloaded.getBodyAsString()).path("result").isObject(), "the demo inference's result");

        // the Java routes were not touched: still there and started
        JsonNode health = json(gateway.getManagement("/observe/health?exposureLevel=full").body());
        for (String route : List.of("route:job-worker", "route:accept-upload", "route:publish-result", "route:deliver-webhook")) {
            assertEquals("UP", checkStatus(health, route), route + " in " + health);
        }
        // and the gateway's own metrics kept counting across the reload
        String metrics = gateway.getManagement("/observe/metrics").body();
        assertTrue(Prometheus.value(metrics, "gateway_jobs_accepted_total{endpoint=\"invocations\"}").orElse(0.0) >= 2, metrics);

        // a broken edit: the gateway keeps the routes it has
        int logLength = gateway.logText().length();
        Files.writeString(deliveryYaml, "- route:\n    id: deliver-webhook\n    from: [ unclosed\n  bad: : :\n");
        await("the reload of the broken file is reported in the log").atMost(RELOAD_BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> gateway.logText().substring(logLength).contains("Error reloading routes from file: routes/delivery.yaml"));
        LoggedRequest afterBrokenEdit = deliveredAndCompleted("/hooks/after-broken-edit");
        assertEquals("yes", afterBrokenEdit.getHeader(HEADER), "the previous (edited) routes keep serving");
        assertEquals("UP", json(gateway.getManagement("/observe/health").body()).path("status").asText());

        // the original file back: the header goes away again
        Files.writeString(deliveryYaml, original);
        await("the original route back").atMost(RELOAD_BOUND).pollInterval(Duration.ofMillis(500))
                .until(() -> deliveredAndCompleted("/hooks/restored"), call -> call.getHeader(HEADER) == null);

        assertTrue(gateway.process.isAlive());
        assertEquals(pid, gateway.process.pid());
        List<String> notOk = pings.stream().filter(p -> !p.endsWith(" 200")).toList();
        assertFalse(pings.size() < 10, "the pinger ran: " + pings.size());
        assertTrue(notOk.isEmpty(), "/ping was not 200 at: " + notOk);
    }

    /** Uploads one image, waits for its completed envelope at {@code hook}, and returns that webhook call. */
    private LoggedRequest deliveredAndCompleted(String hook) {
        HttpResponse<String> answer = gateway.upload("scan-" + seed + ".png", TestImages.png(300 + seed++), webhook.baseUrl() + hook);
        assertEquals(200, answer.statusCode(), answer.body());
        String uuid = json(answer.body()).path("request_uuid").asText();
        LoggedRequest call = await("envelope of " + uuid).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> webhook.findAll(postRequestedFor(urlPathEqualTo(hook))).stream()
                        .filter(r -> uuid.equals(json(r.getBodyAsString()).path("request_uuid").asText())).findFirst(),
                        Optional::isPresent).get();
        assertEquals("completed", json(call.getBodyAsString()).path("status").asText(), call.getBodyAsString());
        return call;
    }

    private static String checkStatus(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return "absent";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
