package org.octgateway;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.BrokerContract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway on an external broker (a real Artemis over TCP on loopback, a plain URL: the client does not reconnect
 * by itself, the gateway does) that goes away: /ping, readiness and the metrics scrape answer within a second, from the
 * state the broker connection's listeners keep, not by waiting for the broker; a job the outage interrupted is
 * logged once as "will be redelivered", is not announced or counted as a failure, and completes once the broker is
 * back. ExternalBrokerIT kills a standalone broker process with the reconnecting URL.
 */
class ExternalBrokerOutageTest extends GatewayTestSupport {

    private static final Duration FAST = Duration.ofSeconds(1);
    private static TcpBroker broker;

    @Override
    protected void overrideProperties(Properties properties) {
        broker = new TcpBroker(new BrokerContract("gateway.dead-letters").addressSettings()).start();
        properties.setProperty("gateway.broker.url", broker.url());
    }

    @Override
    protected void stopOwnPeers() {
        broker.close();
    }

    @Test
    void pingReadinessAndMetricsAnswerWithinOneSecondWhileTheBrokerIsDown() {
        assertEquals(200, get("/ping").statusCode());
        broker.stop();
        try {
            Awaitility.await("/ping says the broker is gone").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("/ping").statusCode() == 503);
            for (int round = 0; round < 3; round++) {
                HttpResponse<String> ping = timed("/ping", () -> get("/ping"));
                assertEquals(503, ping.statusCode(), ping.body());
                assertEquals("queue_unavailable", json(ping.body()).path("error").asText(), ping.body());
                HttpResponse<String> ready = timed("readiness", () -> getManagement("/observe/health/ready"));
                assertEquals(503, ready.statusCode(), ready.body());
                HttpResponse<String> metrics = timed("the metrics scrape", () -> getManagement("/observe/metrics"));
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("gateway_queue_backlog{broker=\"tcp://127.0.0.1:" + broker.port + "\"}"),
                        "the backlog gauge names its broker");
            }
        } finally {
            broker.start();
        }
        Awaitility.await("the gateway reconnects by itself").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/ping").statusCode() == 200);
        assertEquals(200, getManagement("/observe/health/ready").statusCode());
    }

    @Test
    void aJobInterruptedByABrokerOutageIsRedeliveredNotFailed() {
        inference().stubFor(post(urlPathEqualTo("/inference"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"diagnosis\":\"none\"}").withFixedDelay(1500)));
        webhooks().stubFor(post(urlPathEqualTo("/hooks/outage")).willReturn(aResponse().withStatus(200)));
        try (LogCapture log = new LogCapture()) {
            String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(12),
                    Map.of("Webhook-Url", webhookUrl("/hooks/outage"))));
            Awaitility.await("the worker holds the job").atMost(Duration.ofSeconds(10))
                    .until(() -> !inferenceCallsFor(uuid).isEmpty());
            broker.stop(); // while the inference call is under way: its result cannot be queued for delivery
            try {
                Awaitility.await("the interruption is logged").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> log.text().contains("will be redelivered"));
            } finally {
                broker.start();
            }
            JsonNode envelope = Awaitility.await("the job completes after the outage").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> envelopesAt("/hooks/outage", uuid), envelopes -> !envelopes.isEmpty()).get(0);
            assertEquals("completed", envelope.path("status").asText(), envelope.toString());
            assertTrue(envelopesAt("/hooks/outage", uuid).stream().noneMatch(e -> "error".equals(e.path("status").asText())),
                    "no error envelope was announced");
            List<String> jobLines = log.lines().stream().filter(line -> line.contains(uuid)).toList();
            assertEquals(1, jobLines.stream().filter(line -> line.contains("will be redelivered")).count(), "logged once: " + jobLines);
            assertTrue(jobLines.stream().noneMatch(line -> line.contains("Job failed")), jobLines.toString());
            assertTrue(jobLines.stream().noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR ")),
                    "neither a warning nor an error for the job: " + jobLines);
            assertTrue(jobLines.stream().noneMatch(line -> line.contains("\\n\\tat ")), "no stack trace: " + jobLines);
            assertEquals(0.0, metricValue("gateway_jobs_completed_total{endpoint=\"invocations\",status=\"error\"}").orElse(0.0));
        } finally {
            inference().resetAll();
        }
    }

    /** The answer of {@code call}, which must come within a second. */
    private static HttpResponse<String> timed(String what, Supplier<HttpResponse<String>> call) {
        long started = System.nanoTime();
        HttpResponse<String> answer = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(FAST) < 0, what + " took " + took.toMillis() + " ms with the broker down");
        return answer;
    }
}
