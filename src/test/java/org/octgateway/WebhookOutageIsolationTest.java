package org.octgateway;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One caller's webhook being down delays no one else's results: a failed attempt waits for its retry in
 * the broker, not in a delivery thread. Here there is a single delivery thread and a long backoff; with
 * retries held in that thread the healthy webhook would wait for all of the dead one's attempts (over
 * a minute), beyond the test's 20 s.
 */
class WebhookOutageIsolationTest extends GatewayTestSupport {

    private static final String DEAD = "/hooks/down";
    private static final String HEALTHY = "/hooks/up";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.webhook.concurrency", "1");
        properties.setProperty("gateway.webhook.max-attempts", "6");
        properties.setProperty("gateway.webhook.retry-schedule", "0s,3s,6s,12s,24s,48s");
    }

    @BeforeAll
    void stubPeers() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"fine\":true}")));
        webhooks().stubFor(post(urlPathEqualTo(DEAD)).willReturn(serverError()));
        webhooks().stubFor(post(urlPathEqualTo(HEALTHY)).willReturn(ok()));
    }

    @Test
    void aWebhookThatIsDownDoesNotHoldBackOtherWebhooks() {
        String toDeadHook = accepted(uploadImage("a.png", "image/png", TestImages.png(61), Map.of("Webhook-Url", webhookUrl(DEAD))));
        awaitAttempts(DEAD, 1);

        String toHealthyHook = accepted(uploadImage("b.png", "image/png", TestImages.png(62),
                Map.of("Webhook-Url", webhookUrl(HEALTHY))));

        assertEquals("completed", awaitEnvelope(HEALTHY, toHealthyHook).path("status").asText());
        assertTrue(webhookCalls(DEAD).size() < 6, "the dead webhook's retries are still ahead of it");
        assertTrue(envelopesAt(DEAD, toDeadHook).size() >= 1);
    }

    private void awaitAttempts(String hook, int attempts) {
        org.awaitility.Awaitility.await().atMost(DELIVERY_TIMEOUT).until(() -> webhookCalls(hook).size() >= attempts);
    }
}
