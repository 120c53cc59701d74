package org.octgateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.jms.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a webhook's answer asks for is honoured: Retry-After sets when the next attempt comes (instead of the
 * schedule's 50 ms here), and 410 Gone stops the retries at once, the result kept in the dead-letter queue with
 * that reason.
 */
class WebhookRetryAnswersTest extends GatewayTestSupport {

    @BeforeAll
    void inferenceAnswers() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"fine\":true}")));
    }

    @Test
    void aRetryAfterAnswerIsHonoured() {
        String hook = "/hooks/busy-then-fine";
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs(STARTED)
                .willSetStateTo("asked to wait").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")));
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs("asked to wait").willReturn(ok()));

        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(301), Map.of("Webhook-Url", webhookUrl(hook))));

        awaitEnvelope(hook, uuid);
        await().atMost(DELIVERY_TIMEOUT).until(() -> deliveriesTo(hook).size() == 2);
        List<ServeEvent> attempts = deliveriesTo(hook);
        assertEquals(List.of(503, 200), attempts.stream().map(e -> e.getResponse().getStatus()).toList());
        long waited = attempts.get(1).getRequest().getLoggedDate().getTime() - attempts.get(0).getRequest().getLoggedDate().getTime();
        assertTrue(waited >= 1900 && waited < 5000, "the second attempt came " + waited + " ms after the first (Retry-After: 2)");
    }

    @Test
    void a410GoneStopsRetryingAndKeepsTheResultAsADeadLetterWithThatReason() throws Exception {
        String hook = "/hooks/gone";
        webhooks().stubFor(post(urlPathEqualTo(hook)).willReturn(aResponse().withStatus(410)));

        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(302), Map.of("Webhook-Url", webhookUrl(hook))));

        Message deadLetter = await("dead letter of " + uuid).atMost(DELIVERY_TIMEOUT)
                .until(() -> DeadLetterBrowser.deadLetter(uuid), Optional::isPresent).get();
        assertTrue(deadLetter.getStringProperty("GatewayFailure").contains("410"), deadLetter.getStringProperty("GatewayFailure"));
        Thread.sleep(1000); // the schedule here would have retried within 50 ms
        assertEquals(1, deliveriesTo(hook).size(), "410 means no more attempts");
    }

    private List<ServeEvent> deliveriesTo(String hook) {
        List<ServeEvent> events = new ArrayList<>(webhooks().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(hook)).toList());
        Collections.reverse(events); // oldest first
        return events;
    }
}
