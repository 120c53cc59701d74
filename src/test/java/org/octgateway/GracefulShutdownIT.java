package org.octgateway;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
 * SIGTERM to the real jar with two inference calls in flight (3 s each, concurrency 2) and four jobs queued:
 * /ping stops answering 200 at once, the in-flight jobs finish (their results wait in the delivery queue), the process exits (0, or 143 as the JVM reports SIGTERM) within
 * camel.main.shutdownTimeout with no stack trace in its log, and a restart on the same data dir delivers the
 * four queued jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GracefulShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JOBS = 6;
    private static final int CONCURRENCY = 2;
    private static final int SHUTDOWN_TIMEOUT_S = 15;
    private static final String HOOK = "/hooks/shutdown";

    private final WireMockServer inference = new WireMockServer(options().dynamicPort().containerThreads(20));
    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private Path workDir;

    @BeforeAll
    void startPeers() throws IOException {
        inference.start();
        webhook.start();
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "graceful-shutdown-");
    }

    @AfterAll
    void stopEverything() {
        gateways.forEach(GatewayProcess::kill);
        inference.stop();
        webhook.stop();
    }

    private GatewayProcess start(String name) {
        GatewayProcess gateway = new GatewayProcess(workDir, Path.of("target", "graceful-shutdown-" + name + ".log"), Map.of(
                "gateway.data-dir", workDir.resolve("data").toString(),
                "gateway.demo.enabled", "false",
                "gateway.inference.url", inference.baseUrl() + "/inference",
                "gateway.inference.concurrency", Integer.toString(CONCURRENCY),
                "gateway.inference.timeout-ms", "30000",
                "gateway.inference.retry-delay-ms", "200",
                "gateway.webhook.retry-schedule", "0s,200ms",
                "gateway.webhook.allowed-hosts", "localhost",
                "camel.main.shutdownTimeout", Integer.toString(SHUTDOWN_TIMEOUT_S)));
        gateways.add(gateway);
        return gateway.awaitPing(Duration.ofSeconds(90));
    }

    @Test
    void sigtermFinishesInFlightJobsKeepsQueuedOnesAndExitsCleanly() throws Exception {
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"slow\":true}").withFixedDelay(3000)));
        GatewayProcess first = start("first-run");

        Set<String> accepted = new LinkedHashSet<>();
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> answer = first.upload("scan-" + i + ".png", TestImages.png(500 + i), webhook.baseUrl() + HOOK);
            assertEquals(200, answer.statusCode(), answer.body());
            accepted.add(json(answer.body()).path("request_uuid").asText());
        }
        await("two jobs in flight at the inference server").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> inferenceCalls().size() >= CONCURRENCY);
        Set<String> inFlight = new TreeSet<>(inferenceCalls());
        assertEquals(CONCURRENCY, inFlight.size(), "concurrency " + CONCURRENCY + ": " + inFlight);
        assertTrue(completedAtWebhook().isEmpty(), "nothing delivered before the signal");

        // SIGTERM (Process.destroy() on Linux); then watch /ping and readiness until the process is gone
        Instant signalled = Instant.now();
        first.process.destroy();
        List<String> pingTimeline = new ArrayList<>();
        List<String> readyTimeline = new ArrayList<>();
        Long firstNon200Ms = null;
        while (first.process.isAlive() && Duration.between(signalled, Instant.now()).getSeconds() < SHUTDOWN_TIMEOUT_S + 10) {
            int ping = first.pingStatus();
            int ready = readiness(first);
            long ms = Duration.between(signalled, Instant.now()).toMillis();
            record(pingTimeline, ms, ping);
            record(readyTimeline, ms, ready);
            if (firstNon200Ms == null && ping != 200) {
                firstNon200Ms = ms;
            }
            Thread.sleep(20); // the observation's polling interval, not an assertion
        }
        boolean exited = first.process.waitFor(SHUTDOWN_TIMEOUT_S + 10, TimeUnit.SECONDS);
        Duration shutdown = Duration.between(signalled, Instant.now());
        Set<String> deliveredBeforeExit = completedAtWebhook();
        System.out.println("GracefulShutdownIT: after SIGTERM (ms since the signal, -1 = connection refused) /ping " + pingTimeline
                + ", /observe/health/ready " + readyTimeline + "; exited after " + shutdown.toMillis() + " ms with status "
                + (exited ? first.process.exitValue() : "(still running)"));
        System.out.println("GracefulShutdownIT: in flight " + inFlight + "; delivered before exit " + deliveredBeforeExit);

        assertTrue(exited, "the gateway did not exit within " + (SHUTDOWN_TIMEOUT_S + 10) + " s of SIGTERM");
        assertTrue(shutdown.getSeconds() <= SHUTDOWN_TIMEOUT_S, "shutdown took " + shutdown);
        // 143 = 128 + SIGTERM: the JVM's own exit status once its shutdown hooks (Camel's graceful stop) have run
        int exit = first.process.exitValue();
        assertTrue(exit == 0 || exit == 143, "exit status after SIGTERM: " + exit);
        // /ping: 503 at once (the JVM needs a few ms to run its hooks), never 200 again
        assertTrue(firstNon200Ms != null && firstNon200Ms < 1000, "/ping still 200 after the signal: " + pingTimeline);
        assertTrue(pingTimeline.stream().dropWhile(p -> p.endsWith(" 200")).noneMatch(p -> p.endsWith(" 200")),
                "/ping answered 200 again after SIGTERM: " + pingTimeline);
        assertTrue(pingTimeline.stream().anyMatch(p -> p.endsWith(" 503")), "/ping never answered 503: " + pingTimeline);
        assertTrue(pingTimeline.stream().noneMatch(p -> p.endsWith(" 404")),
                "/ping answered 404 while shutting down (503 or a refused connection expected): " + pingTimeline);

        assertTrue(readyTimeline.stream().dropWhile(p -> p.endsWith(" 200")).noneMatch(p -> p.endsWith(" 200")),
                "readiness answered 200 again after SIGTERM: " + readyTimeline);
        // the in-flight inference calls finished (logged with their request_uuid) before the process ended
        String log = first.logText();
        for (String uuid : inFlight) {
            assertTrue(log.lines().anyMatch(line -> line.contains("request_uuid=" + uuid) && line.contains("Job completed")),
                    "in-flight job " + uuid + " did not complete before exit; see " + first.log);
        }
        List<String> traces = log.lines().filter(line -> line.startsWith("\tat ") || line.matches(".* ERROR .*Exception.*"))
                .limit(5).toList();
        assertTrue(traces.isEmpty(), "stack traces / ERROR exceptions on the way down (" + first.log + "): " + traces);

        // restart on the same data dir, the inference server fast now: the queued jobs are delivered
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"slow\":false}")));
        GatewayProcess second = start("second-run");
        await("every accepted job delivered after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> completedAtWebhook().containsAll(accepted));
        assertEquals(new TreeSet<>(accepted), completedAtWebhook());
        // the in-flight jobs kept their results: no second inference call for them after the restart
        for (String uuid : inFlight) {
            assertEquals(1, inferenceCalls().stream().filter(uuid::equals).count(), "inference calls for in-flight job " + uuid);
        }
        assertEquals(JOBS, inferenceCalls().size(), "one inference call per job");
        assertTrue(second.process.isAlive());
    }

    private static void record(List<String> timeline, long ms, int status) {
        if (timeline.isEmpty() || !timeline.get(timeline.size() - 1).endsWith(" " + status)) {
            timeline.add("+" + ms + "ms " + status);
        }
    }

    private static int readiness(GatewayProcess gateway) {
        try {
            return GatewayProcess.HTTP.send(java.net.http.HttpRequest.newBuilder(gateway.management("/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** X-Request-ID of every call the inference server received. */
    private List<String> inferenceCalls() {
        return inference.findAll(postRequestedFor(urlPathEqualTo("/inference"))).stream()
                .map(r -> r.getHeader("X-Request-ID")).toList();
    }

    private Set<String> completedAtWebhook() {
        return webhook.findAll(postRequestedFor(urlPathEqualTo(HOOK))).stream()
                .map(r -> json(r.getBodyAsString()))
                .filter(envelope -> "completed".equals(envelope.path("status").asText()))
                .map(envelope -> envelope.path("request_uuid").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
