package org.octgateway;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * N gateways on one external broker, as an operator runs them: a standalone Artemis from the distribution
 * ({@code artemis create}, login required), two gateway jars on it. In order, on one broker:
 * a broker as {@code artemis create} makes it gets a startup WARN naming its settings; with deploy/broker.xml put in
 * (its permissions replacing the broker's own) the gateways start clean; uploads alternating between them are all
 * delivered once, by both; {@code kill -9} of one gateway mid-load loses nothing; {@code kill -9} of the broker and a
 * restart: both answer /ping 503 at once, then reconnect by themselves, nothing lost; a failing webhook is retried with
 * the configured backoff and lands in gateway.dead-letters, which both gateways report alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalBrokerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "external-broker-it").toAbsolutePath();
    private static final String BROKER_OPTIONS = "?reconnectAttempts=-1&retryInterval=200&maxRetryInterval=1000";

    private final WireMockServer inference = new WireMockServer(options().dynamicPort().containerThreads(40));
    private final WireMockServer webhooks = new WireMockServer(options().dynamicPort().containerThreads(40));
    private StandaloneArtemis broker;
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private GatewayProcess a;
    private GatewayProcess b;

    @BeforeAll
    void startPeersAndBroker() throws Exception {
        inference.start();
        webhooks.start();
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}").withFixedDelay(100)));
        webhooks.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        webhooks.stubFor(post(urlPathEqualTo("/failing")).willReturn(aResponse().withStatus(500)));
        broker = StandaloneArtemis.create(WORK, "broker-" + System.nanoTime(), TestPorts.free()).start();
    }

    @AfterAll
    void stopEverything() throws Exception {
        gateways.forEach(GatewayProcess::kill);
        if (broker != null) {
            broker.close();
        }
        inference.stop();
        webhooks.stop();
    }

    private GatewayProcess gateway(String name) throws IOException {
        Path dir = GatewayProcess.workingCopy(WORK, name + "-");
        Map<String, String> settings = new HashMap<>(Map.of(
                "gateway.broker.url", broker.url() + BROKER_OPTIONS,
                "gateway.broker.username", StandaloneArtemis.USER,
                "gateway.broker.password", StandaloneArtemis.PASSWORD,
                "gateway.data-dir", dir.resolve("data").toString(),
                "gateway.inference.url", inference.baseUrl() + "/inference",
                "gateway.webhook.allowed-hosts", "localhost",
                "gateway.webhook.per-host-concurrency", "16",
                "gateway.webhook.retry-schedule", "0s,400ms,800ms",
                "gateway.webhook.max-attempts", "3",
                "camel.main.shutdownTimeout", "5"));
        GatewayProcess gateway = new GatewayProcess(dir, dir.resolve("gateway.log"), List.of("-Xmx256m"), settings);
        gateways.add(gateway);
        return gateway;
    }

    @Test
    @Order(1)
    void aBrokerAsArtemisCreateMakesItGetsAStartupWarningNamingEachSetting() throws Exception {
        a = gateway("a").awaitPing(Duration.ofSeconds(90));
        String log = a.logText();
        assertTrue(log.contains("Broker setting differs: redelivery-delay is 0 for gateway.jobs"), log);
        assertTrue(log.contains("dead-letter-address is DLQ"), log);
        assertTrue(log.contains("deploy/broker.xml"), log);
        // one connection factory: camel-main runs an eager bean method twice, this one is lazy
        assertEquals(1, log.split("Using the external broker at", -1).length - 1, log);

        // the operator puts deploy/broker.xml in and restarts the broker: the running gateway reconnects by itself,
        // the next one to start finds nothing to warn about
        broker.kill();
        broker.withGatewayFragment().start();
        b = gateway("b").awaitPing(Duration.ofSeconds(90));
        a.awaitPing(Duration.ofSeconds(60));
        assertFalse(b.logText().contains("Broker setting differs"), b.logText());
        assertTrue(b.logText().contains("are the ones the gateway relies on"), b.logText());
    }

    @Test
    @Order(2)
    void uploadsAlternatingBetweenTwoGatewaysAreEachDeliveredOnceAndBothWork() throws Exception {
        Set<String> accepted = uploadAlternating("once", 100);
        await("every job delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> delivered().keySet().containsAll(accepted));
        Map<String, Integer> deliveries = delivered();
        for (String uuid : accepted) {
            assertEquals(1, deliveries.get(uuid), "delivered once: " + uuid);
        }
        for (GatewayProcess gateway : List.of(a, b)) {
            assertTrue(completedBy(gateway) > 0, "both gateways worked; see " + gateway.log);
        }
        // the queue gauges are the broker's: both report the same series, labelled with the broker
        String brokerLabel = "broker=\"" + broker.url() + "\"";
        for (GatewayProcess gateway : List.of(a, b)) {
            String metrics = gateway.getManagement("/observe/metrics").body();
            assertTrue(metrics.contains("gateway_queue_backlog{" + brokerLabel + "}"), metrics);
        }
    }

    @Test
    @Order(3)
    void killMinus9OfOneGatewayMidLoadLosesNothing() throws Exception {
        long doneByB = completedBy(b);
        Set<String> accepted = uploadAlternating("kill-gateway", 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> completedBy(b) >= doneByB + 3);
        b.kill(); // kill -9, with jobs in its hands
        try {
            await("the other gateway finishes every job").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> delivered().keySet().containsAll(accepted));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Set<String> missing = new TreeSet<>(accepted);
            missing.removeAll(delivered().keySet());
            StringBuilder where = new StringBuilder("not delivered: " + missing);
            for (String uuid : missing) {
                for (GatewayProcess gateway : List.of(a, b)) {
                    gateway.logText().lines().filter(line -> line.contains(uuid))
                            .forEach(line -> where.append("\n").append(gateway.log.getParent().getFileName()).append(": ").append(line));
                }
            }
            Files.writeString(WORK.resolve("a-threads-" + System.nanoTime() + ".txt"), a.threadDump());
            throw new AssertionError(where.toString(), e);
        }
        b = gateway("b2").awaitPing(Duration.ofSeconds(90)); // back to two for what follows
    }

    @Test
    @Order(4)
    void killMinus9OfTheBrokerAndARestartLosesNothingAndBothGatewaysReconnect() throws Exception {
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}").withFixedDelay(500)));
        Set<String> accepted = uploadAlternating("kill-broker", 20);
        broker.kill();
        for (GatewayProcess gateway : List.of(a, b)) {
            try {
                await("/ping 503 with the broker gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> gateway.pingStatus() == 503);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(stateOf(gateway), e); // seen once in CI, not reproduced: say what it was doing
            }
            long started = System.nanoTime();
            assertEquals(503, gateway.pingStatus());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000, "/ping answers within 1 s");
        }
        broker.start();
        for (GatewayProcess gateway : List.of(a, b)) {
            await("reconnected by itself").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> gateway.pingStatus() == 200);
        }
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}").withFixedDelay(100)));
        await("every job delivered after the outage").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> delivered().keySet().containsAll(accepted));
        for (GatewayProcess gateway : List.of(a, b)) {
            assertFalse(gateway.logText().contains("Job failed"), "no job failed; see " + gateway.log);
        }
    }

    /**
     * What a gateway that missed the broker's death was doing, for the failure's message (CI keeps only that): /ping,
     * its last log lines, and its threads that watch the broker or answer /ping, from jstack.
     */
    private static String stateOf(GatewayProcess gateway) {
        StringBuilder state = new StringBuilder(gateway.log.getParent().getFileName() + ": /ping " + gateway.pingStatus()
                + ", process alive " + gateway.process.isAlive() + "\nlast log lines:");
        List<String> lines = gateway.logText().lines().toList();
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(line -> state.append("\n  ").append(line));
        state.append("\nthreads:");
        for (String thread : gateway.threadDump().split("\n\n")) {
            if (thread.contains("broker-watch") || thread.contains("vert.x-eventloop") || thread.contains("failover")
                    || thread.contains("ClientSessionFactoryImpl") || thread.startsWith("jstack failed")) {
                state.append("\n").append(String.join("\n", thread.lines().limit(12).toList()));
            }
        }
        return state.toString();
    }

    @Test
    @Order(5)
    void aFailingWebhookIsRetriedWithBackoffThenKeptInTheGatewaysDeadLetterQueue() throws Exception {
        HttpResponse<String> answer = a.upload("dead.png", TestImages.png(77), webhooks.baseUrl() + "/failing");
        assertEquals(200, answer.statusCode(), answer.body());
        await("three attempts").atMost(Duration.ofSeconds(30)).until(() -> attemptsAt("/failing").size() >= 3);
        List<LoggedRequest> attempts = attemptsAt("/failing");
        Instant first = attempts.get(0).getLoggedDate().toInstant();
        Instant second = attempts.get(1).getLoggedDate().toInstant();
        Instant third = attempts.get(2).getLoggedDate().toInstant();
        assertTrue(Duration.between(first, second).toMillis() >= 300, "backoff before the 2nd attempt");
        assertTrue(Duration.between(second, third).toMillis() >= 600, "longer backoff before the 3rd attempt");
        for (GatewayProcess gateway : List.of(a, b)) {
            await("gateway_dead_letters counts it").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Prometheus.value(gateway.getManagement("/observe/metrics").body(),
                            "gateway_dead_letters{broker=\"" + broker.url() + "\"}").orElse(0.0) == 1.0);
        }
        assertEquals(3, attemptsAt("/failing").size(), "no attempt after the last");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Uploads {@code count} images, alternating between the two gateways, several at a time; the accepted uuids. */
    private Set<String> uploadAlternating(String name, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                GatewayProcess gateway = i % 2 == 0 ? a : b;
                byte[] png = TestImages.png(name.hashCode() + i);
                String file = name + "-" + i + ".png";
                answers.add(clients.submit(() -> gateway.upload(file, png, webhooks.baseUrl() + "/hook")));
            }
            Set<String> accepted = new TreeSet<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(200, response.statusCode(), response.body());
                accepted.add(JSON.readTree(response.body()).path("request_uuid").asText());
            }
            assertEquals(count, accepted.size());
            return accepted;
        } finally {
            clients.shutdownNow();
        }
    }

    /** Completed envelopes at /hook by request_uuid: how many times each arrived. */
    private Map<String, Integer> delivered() {
        return WebhookEnvelopes.completed(webhooks, "/hook");
    }

    private List<LoggedRequest> attemptsAt(String path) {
        return webhooks.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    private static long completedBy(GatewayProcess gateway) {
        return gateway.logText().lines().filter(line -> line.contains("Job completed")).count();
    }
}
