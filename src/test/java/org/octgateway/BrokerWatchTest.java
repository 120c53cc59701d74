package org.octgateway;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.BrokerContract;
import org.octgateway.queue.QueueHealth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What /ping and readiness say of an external broker (a real Artemis over TCP, behind a relay that can stop
 * forwarding; the reconnecting URL that docs/operations.md gives), as its watch connection sees it:
 * <ul>
 * <li>a broker that falls silent without closing its connections (its host lost power, the network drops every
 * packet) is unreachable once silent for {@code gateway.broker.unreachable-after-ms} (3 s by default), not after the
 * client's 60 s; a shorter silence is no outage; when it answers again, 200 (the outage logged once, its end once),
 * and an upload is carried through;</li>
 * <li>a broker that goes away (every connection closed, new ones refused) is seen at once even while every thread of
 * Artemis's shared client pool is busy (as with the job connections reconnecting): ExternalBrokerIT once saw /ping
 * answer 200 through a whole outage.</li>
 * </ul>
 * ExternalBrokerOutageTest and ExternalBrokerIT cover a broker that stops or dies with the pool free.
 */
class BrokerWatchTest extends GatewayTestSupport {

    private static final Duration UNREACHABLE_AFTER = Duration.ofMillis(3000); // the shipped default
    private static TcpBroker broker;
    private static SilenceableTcpRelay network;

    @Override
    protected void overrideProperties(Properties properties) {
        broker = new TcpBroker(new BrokerContract("gateway.dead-letters").addressSettings()).start();
        network = new SilenceableTcpRelay(broker.port);
        properties.setProperty("gateway.broker.url",
                network.url() + "?reconnectAttempts=-1&retryInterval=200&maxRetryInterval=1000");
    }

    @Override
    protected void stopOwnPeers() {
        network.close();
        broker.close();
    }

    @Test
    void aSilenceShorterThanTheSettingIsNoOutage() throws InterruptedException {
        assertEquals(200, get("/ping").statusCode());
        network.silence();
        try {
            long until = System.nanoTime() + UNREACHABLE_AFTER.toNanos() / 2;
            while (System.nanoTime() < until) {
                assertEquals(200, get("/ping").statusCode(), "a 1.5 s silence is no outage");
                Thread.sleep(100);
            }
        } finally {
            network.resume();
        }
        Thread.sleep(UNREACHABLE_AFTER.toMillis());
        assertEquals(200, get("/ping").statusCode(), "nor once it has passed");
    }

    @Test
    void aBrokerSilentForTheSettingIsReportedUnreachableThenReachableWhenItAnswersAgain() throws InterruptedException {
        assertEquals(200, get("/ping").statusCode());
        try (LogCapture log = new LogCapture()) {
            silenceUntilReportedThenResume();
            Awaitility.await("reachable again by itself").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("/ping").statusCode() == 200);
            Thread.sleep(500);
            assertEquals(200, get("/ping").statusCode());
            assertEquals(1, log.lines().stream().filter(line -> line.contains("The broker is unreachable")).count(),
                    "one outage, logged once: " + log.lines());
            assertEquals(1, log.lines().stream().filter(line -> line.contains("The broker is reachable")).count(),
                    "and its end once: " + log.lines());
        }
        carryAnUploadThrough("/hooks/after-silence");
    }

    private void silenceUntilReportedThenResume() {
        long silenced = System.nanoTime();
        network.silence();
        try {
            Awaitility.await("/ping says the broker is gone").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("/ping").statusCode() == 503);
            Duration took = Duration.ofNanos(System.nanoTime() - silenced);
            assertTrue(took.compareTo(UNREACHABLE_AFTER.minusMillis(500)) >= 0 && took.compareTo(Duration.ofSeconds(6)) <= 0,
                    "503 after the configured silence (3 s) and at most a check period later: " + took.toMillis() + " ms");
            assertEquals("queue_unavailable", json(get("/ping").body()).path("error").asText());
            assertEquals(503, getManagement("/observe/health/ready").statusCode());
        } finally {
            network.resume();
        }
    }

    @Test
    void aBrokerGoneIsSeenAtOnceWhileArtemisSharedClientThreadsAreAllBusy() throws InterruptedException {
        assertEquals(200, get("/ping").statusCode());
        ExecutorService shared = ActiveMQClient.getGlobalThreadPool();
        int threads = ActiveMQClient.getGlobalThreadPoolSize();
        CountDownLatch busy = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture log = new LogCapture()) {
            try {
                for (int i = 0; i < threads; i++) {
                    shared.execute(() -> {
                        busy.countDown();
                        awaitQuietly(release);
                    });
                }
                assertTrue(busy.await(10, TimeUnit.SECONDS), "every thread of the shared pool is busy");
                network.cut();
                long stopped = System.nanoTime();
                Awaitility.await("/ping says the broker is gone").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> get("/ping").statusCode() == 503);
                assertTrue(Duration.ofNanos(System.nanoTime() - stopped).toMillis() < 1000,
                        "seen within a second, not after the silence setting");
            } finally {
                release.countDown();
                network.restore();
            }
            Awaitility.await("reachable again by itself").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("/ping").statusCode() == 200);
            // the job connection's own reconnection is counted too: it reported going and coming back
            assertTrue(log.text().contains("The job connection to the broker is reconnecting"), log.text());
            assertTrue(log.text().contains("The job connection to the broker is back"), log.text());
        }
    }

    @Test
    void whileTheJobConnectionReconnectsWorkIsRefusedAndTheScrapeDoesNotWaitForIt() {
        assertEquals(200, get("/ping").statusCode());
        QueueHealth health = context.getRegistry().lookupByNameAndType("queueHealth", QueueHealth.class);
        health.jobConnectionUp(false); // as SessionCache reports Artemis's FAILURE_DETECTED (seen: 30 s after a restart)
        try {
            assertEquals(503, get("/ping").statusCode());
            assertEquals(503, getManagement("/observe/health/ready").statusCode());
            long started = System.nanoTime();
            assertEquals(200, getManagement("/observe/metrics").statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000, "the scrape asks no reconnecting connection");
        } finally {
            health.jobConnectionUp(true);
        }
        assertEquals(200, get("/ping").statusCode());
    }

    private void carryAnUploadThrough(String hook) {
        assertEquals(200, getManagement("/observe/health/ready").statusCode());
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"diagnosis\":\"none\"}")));
        webhooks().stubFor(post(urlPathEqualTo(hook)).willReturn(aResponse().withStatus(200)));
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(31), Map.of("Webhook-Url", webhookUrl(hook))));
        JsonNode envelope = awaitEnvelope(hook, uuid);
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
