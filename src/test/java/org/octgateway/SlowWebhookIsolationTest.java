package org.octgateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow webhooks delay no one else's results. Eight black holes (each on a host of its own: 127.0.0.2-9), a
 * webhook trickling its answer and one answering an endless body all hold deliveries at once, with the shipped
 * deadline (15 s), delivery threads (16) and per-host limit (2); another caller's result still arrives within a
 * few seconds, no attempt lasts longer than the deadline, and the endless body is not downloaded.
 */
class SlowWebhookIsolationTest extends GatewayTestSupport {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final String HEALTHY = "/hooks/healthy";
    private final List<HostileWebhook> blackHoles = new ArrayList<>();
    private HostileWebhook trickler;
    private HostileWebhook endless;

    @Override
    protected void overrideProperties(Properties properties) {
        // the shipped delivery settings, except that loopback (where these test webhooks live) is allowed
        properties.setProperty("gateway.webhook.allowed-subnets", "127.0.0.0/8");
        properties.setProperty("gateway.webhook.timeout-ms", Long.toString(DEADLINE.toMillis()));
        properties.setProperty("gateway.webhook.per-host-concurrency", "2");
        properties.setProperty("gateway.webhook.retry-schedule", "0s,5s,5m");
        properties.setProperty("gateway.webhook.allowed-hosts", "");
    }

    @BeforeAll
    void startPeers() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"fine\":true}")));
        webhooks().stubFor(post(urlPathEqualTo(HEALTHY)).willReturn(ok()));
        for (int i = 2; i <= 9; i++) {
            blackHoles.add(new HostileWebhook("127.0.0." + i, HostileWebhook.Behaviour.BLACK_HOLE, Duration.ZERO));
        }
        trickler = new HostileWebhook("127.0.0.10", HostileWebhook.Behaviour.TRICKLE, Duration.ofSeconds(3));
        endless = new HostileWebhook("127.0.0.11", HostileWebhook.Behaviour.ENDLESS_BODY, Duration.ZERO);
    }

    @AfterAll
    void stopPeers() {
        blackHoles.forEach(HostileWebhook::close);
        trickler.close();
        endless.close();
    }

    @Test
    void slowWebhooksDoNotDelayAnotherCallersResult() {
        for (int i = 0; i < blackHoles.size(); i++) {
            accepted(uploadImage("hole.png", "image/png", TestImages.png(100 + i),
                    Map.of("Webhook-Url", blackHoles.get(i).url("127.0.0." + (i + 2), "/hook?token=t" + i))));
        }
        accepted(uploadImage("trickle.png", "image/png", TestImages.png(120), Map.of("Webhook-Url", trickler.url("127.0.0.10", "/hook"))));
        accepted(uploadImage("endless.png", "image/png", TestImages.png(121), Map.of("Webhook-Url", endless.url("127.0.0.11", "/hook"))));
        // every slow webhook is holding a delivery now
        await("all slow webhooks connected").atMost(Duration.ofSeconds(10))
                .until(() -> blackHoles.stream().allMatch(hole -> hole.connections.size() == 1) && trickler.connections.size() == 1);

        long start = System.nanoTime();
        String healthy = accepted(uploadImage("healthy.png", "image/png", TestImages.png(130), Map.of("Webhook-Url", webhookUrl(HEALTHY))));
        assertEquals("completed", awaitEnvelope(HEALTHY, healthy).path("status").asText());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("SlowWebhookIsolationTest: the healthy webhook got its result " + took.toMillis()
                + " ms after the upload, while 10 slow webhooks held deliveries");
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the healthy result took " + took);

        // no attempt outlives the deadline: every black hole is hung up on by then (plus scheduling slack)
        await("black holes hung up on").atMost(DEADLINE.plusSeconds(5))
                .until(() -> blackHoles.stream().allMatch(hole -> hole.connections.get(0).closedNanos != 0));
        for (HostileWebhook hole : blackHoles) {
            Duration held = hole.connections.get(0).held();
            assertTrue(held.compareTo(DEADLINE.plusSeconds(1)) < 0, "a black hole held an attempt for " + held);
        }
        long sent = endless.bytesSent.get();
        System.out.println("SlowWebhookIsolationTest: the endless webhook sent " + sent + " bytes of its 1 GB answer");
        assertTrue(sent < 16L * 1024 * 1024, "sent " + sent);
        assertEquals(1, endless.connections.size(), "a 200 with an endless body is a delivery, not a failure to retry");
    }
}
