package org.octgateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.octgateway.operations.DeadLetters;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook that fails: retried with backoff up to gateway.webhook.max-attempts (3 here); what still fails is
 * kept in the dead-letter queue, browsed here through JMS on the embedded broker.
 */
class WebhookDeliveryTest extends GatewayTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.webhook.max-attempts", "3");
    }

    @BeforeAll
    void inferenceAnswers() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"fine\":true}")));
    }

    private String upload(String hook) {
        return accepted(uploadImage("scan.png", "image/png", TestImages.png(hook.hashCode()),
                Map.of("Webhook-Url", webhookUrl(hook))));
    }

    private List<ServeEvent> deliveriesTo(String hook) {
        List<ServeEvent> events = new ArrayList<>(webhooks().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(hook)).toList());
        Collections.reverse(events); // oldest first
        return events;
    }

    @Test
    void webhookFailingThenRecoveringGetsTheEnvelopeDeliveredOnce() throws Exception {
        String hook = "/hooks/recovers";
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs(STARTED)
                .willSetStateTo("failed once").willReturn(serverError()));
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs("failed once")
                .willSetStateTo("failed twice").willReturn(serverError()));
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs("failed twice")
                .willReturn(ok()));

        String uuid = upload(hook);

        await().atMost(DELIVERY_TIMEOUT).until(() -> deliveriesTo(hook).stream()
                .anyMatch(e -> e.getResponse().getStatus() == 200));
        List<ServeEvent> deliveries = deliveriesTo(hook);
        assertEquals(List.of(500, 500, 200), deliveries.stream().map(e -> e.getResponse().getStatus()).toList());
        for (ServeEvent delivery : deliveries) {
            JsonNode envelope = json(delivery.getRequest().getBodyAsString());
            assertEquals(uuid, envelope.path("request_uuid").asText());
            assertEquals("completed", envelope.path("status").asText());
            assertEquals(uuid, delivery.getRequest().getHeader("webhook-id"));
        }
        assertTrue(DeadLetterBrowser.deadLetter(uuid).isEmpty(), "a delivered envelope must not be dead-lettered");
    }

    @Test
    void aCookieTheWebhookSetsIsNotSentBackOnTheNextAttempt() {
        String hook = "/hooks/sets-a-cookie";
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs(STARTED)
                .willSetStateTo("cookie set").willReturn(serverError().withHeader("Set-Cookie", "session=caller-a; Path=/")));
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs("cookie set").willReturn(ok()));

        upload(hook);

        await().atMost(DELIVERY_TIMEOUT).until(() -> deliveriesTo(hook).size() == 2);
        List<ServeEvent> deliveries = deliveriesTo(hook);
        assertEquals(500, deliveries.get(0).getResponse().getStatus());
        assertFalse(deliveries.get(1).getRequest().containsHeader("Cookie"),
                "the retry carried the cookie of the failed attempt: " + deliveries.get(1).getRequest().getHeader("Cookie"));
    }

    @Test
    void webhookFailingEveryTimeIsTriedMaxAttemptsThenDeadLettered() throws Exception {
        String hook = "/hooks/always-down?token=caller-secret-123";
        webhooks().stubFor(post(urlPathEqualTo("/hooks/always-down")).willReturn(serverError()));

        Message deadLetter;
        String logged;
        String uuid;
        try (CapturedLog log = new CapturedLog("org")) {
            uuid = upload(hook);
            deadLetter = await("dead letter of " + uuid).atMost(DELIVERY_TIMEOUT)
                    .until(() -> DeadLetterBrowser.deadLetter(uuid), Optional::isPresent).get();
            logged = log.text();
        }
        assertEquals(3, deliveriesTo(hook).size(), "gateway.webhook.max-attempts=3");
        assertTrue(logged.contains("failed for good") && logged.contains(webhooks().baseUrl() + "/…"), logged);
        assertFalse(logged.contains("caller-secret-123") || logged.contains("always-down"),
                "log lines show the webhook as scheme://host:port/… only:\n" + logged);
        JsonNode delivery = DeadLetterBrowser.delivery(deadLetter);
        assertEquals(webhookUrl(hook), delivery.path("webhookUrl").asText(), "the one name of the webhook URL, end to end");
        assertEquals(3, delivery.path("attempt").asInt());
        String reason = deadLetter.getStringProperty("GatewayFailure");
        assertTrue(reason.contains("500") && !reason.contains("caller-secret-123"),
                "the reason names the failure, not the webhook's token: " + reason);
        JsonNode envelope = json(((TextMessage) deadLetter).getText());
        assertEquals(uuid, envelope.path("request_uuid").asText());
        assertEquals("completed", envelope.path("status").asText());
        assertEquals(json("{\"fine\":true}"), envelope.path("result"));
    }

    @Test
    void aDeliveryTheBrokerDeadLetteredStartsAfreshWhenReplayed() throws Exception {
        String hook = "/hooks/replayed";
        String uuid = java.util.UUID.randomUUID().toString();
        // As the broker dead-letters a delivery it had to roll back too often: with the attempt it had reached.
        replaysWithAllAttempts(hook, uuid, deadLetter -> deadLetter.setStringProperty("GatewayDelivery",
                "{\"webhookUrl\":\"" + webhookUrl(hook) + "\",\"requestUuid\":\"" + uuid + "\",\"attempt\":3}"));
    }

    @Test
    void aDeadLetterOfThePreviousGatewayVersionIsReplayedToo() throws Exception {
        String hook = "/hooks/replayed-legacy";
        String uuid = java.util.UUID.randomUUID().toString();
        // Versions before the GatewayDelivery property kept the delivery in three properties and the attempt in a fourth.
        replaysWithAllAttempts(hook, uuid, deadLetter -> {
            deadLetter.setStringProperty("GatewayWebhookUrl", webhookUrl(hook));
            deadLetter.setStringProperty("GatewayRequestUuid", uuid);
            deadLetter.setIntProperty("GatewayDeliveryAttempt", 3);
        });
    }

    @Test
    void aDeliveryQueuedByThePreviousGatewayVersionIsDelivered() throws Exception {
        String hook = "/hooks/queued-by-legacy";
        webhooks().stubFor(post(urlPathEqualTo(hook)).willReturn(ok()));
        String uuid = java.util.UUID.randomUUID().toString();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
             Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("gateway.deliveries"))) {
            TextMessage delivery = session.createTextMessage("{\"request_uuid\":\"" + uuid + "\",\"status\":\"completed\"}");
            delivery.setStringProperty("GatewayWebhookUrl", webhookUrl(hook));
            delivery.setStringProperty("GatewayRequestUuid", uuid);
            delivery.setStringProperty("GatewayExaminationId", "exam-legacy");
            producer.send(delivery);
        }
        await("delivery queued by the previous version").atMost(DELIVERY_TIMEOUT).until(() -> !deliveriesTo(hook).isEmpty());
        var request = deliveriesTo(hook).get(0).getRequest();
        assertEquals(uuid, request.getHeader("webhook-id"));
        assertEquals(uuid, json(request.getBodyAsString()).path("request_uuid").asText());
    }

    private interface DeadLetterShape {
        void apply(TextMessage deadLetter) throws Exception;
    }

    private void replaysWithAllAttempts(String hook, String uuid, DeadLetterShape shape) throws Exception {
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs(STARTED)
                .willSetStateTo("failed once").willReturn(serverError()));
        webhooks().stubFor(post(urlPathEqualTo(hook)).inScenario(hook).whenScenarioStateIs("failed once").willReturn(ok()));
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
             Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("gateway.dead-letters"))) {
            TextMessage deadLetter = session.createTextMessage("{\"request_uuid\":\"" + uuid + "\",\"status\":\"completed\"}");
            shape.apply(deadLetter);
            producer.send(deadLetter);
        }

        context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class).replayDeadLetters();

        await("replayed delivery").atMost(DELIVERY_TIMEOUT).until(() -> deliveriesTo(hook).stream()
                .anyMatch(e -> e.getResponse().getStatus() == 200));
        assertEquals(List.of(500, 200), deliveriesTo(hook).stream().map(e -> e.getResponse().getStatus()).toList(),
                "a replay gets all its attempts again (max-attempts=3), not what was left of them");
        assertEquals(uuid, deliveriesTo(hook).get(1).getRequest().getHeader("webhook-id"));
    }
}
