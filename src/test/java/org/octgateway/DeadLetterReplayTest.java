package org.octgateway;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An operator's dead-letter story: a webhook that answers 500 to every attempt gets its result
 * dead-lettered (visible in gateway_dead_letters and the webhook-backlog check); once the webhook is
 * fixed, the JMX operation replayDeadLetters, called through Jolokia as hawtio would, delivers it, and the request's
 * record goes from dead_lettered to delivered (an upload's outcome is one UPDATE, without the exam folder's countdown).
 */
class DeadLetterReplayTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/broken-then-fixed";
    private static final String DEAD_LETTERS_MBEAN = "org.octgateway:type=operations,name=deadLetters";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.webhook.max-attempts", "2");
    }

    @BeforeAll
    void inferenceAnswers() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"grade\":3}")));
    }

    @Test
    void deadLetteredResultIsDeliveredAfterReplayThroughJolokiaAndItsRecordBecomesDelivered() {
        webhooks().stubFor(post(urlPathEqualTo(HOOK)).willReturn(serverError()));
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(5), Map.of("Webhook-Url", webhookUrl(HOOK))));

        await("dead letter counted").atMost(DELIVERY_TIMEOUT)
                .until(() -> metricValue("gateway_dead_letters").orElse(-1.0) == 1.0);
        assertEquals(2, webhookCalls(HOOK).size(), "gateway.webhook.max-attempts=2");
        JsonNode backlog = healthCheck("webhook-backlog");
        assertEquals("UNKNOWN", backlog.path("status").asText(), backlog.toString());
        assertEquals(1, backlog.path("data").path("dead_letters").asInt(), backlog.toString());
        assertEquals("UP", json(getManagement("/observe/health").body()).path("status").asText(), "dead letters never make it DOWN");
        assertEquals(200, getManagement("/observe/health/ready").statusCode());
        assertEquals(1.0, metricValue("gateway_webhook_deliveries_total{outcome=\"dead_lettered\"}").orElse(0.0));
        JsonNode deadLettered = await("record dead-lettered").atMost(DELIVERY_TIMEOUT)
                .until(() -> record(uuid), r -> "dead_lettered".equals(r.path("webhook_state").asText()));
        assertEquals(2, deadLettered.path("webhook_attempts").asInt(), deadLettered.toString());
        JsonNode count = jolokia("{\"type\":\"read\",\"mbean\":\"" + DEAD_LETTERS_MBEAN + "\",\"attribute\":\"Count\"}");
        assertEquals(1, count.path("value").asInt(), count.toString());

        // The webhook is fixed (the newest stub wins); the operator replays the dead letters.
        webhooks().stubFor(post(urlPathEqualTo(HOOK)).willReturn(ok()));
        JsonNode replay = jolokia("{\"type\":\"exec\",\"mbean\":\"" + DEAD_LETTERS_MBEAN + "\",\"operation\":\"replayDeadLetters()\"}");
        assertEquals(200, replay.path("status").asInt(), replay.toString());
        assertEquals(1, replay.path("value").asInt(), "replayed count: " + replay);

        ServeEvent delivered = await("replayed delivery").atMost(DELIVERY_TIMEOUT)
                .until(() -> deliveries().stream().filter(e -> e.getResponse().getStatus() == 200).findFirst(),
                        Optional::isPresent).get();
        JsonNode envelope = json(delivered.getRequest().getBodyAsString());
        assertEquals(uuid, envelope.path("request_uuid").asText());
        assertEquals("completed", envelope.path("status").asText());
        assertEquals(json("{\"grade\":3}"), envelope.path("result"));
        assertEquals(uuid, delivered.getRequest().getHeader("webhook-id"));

        await("dead-letter queue empty").atMost(DELIVERY_TIMEOUT)
                .until(() -> metricValue("gateway_dead_letters").orElse(-1.0) == 0.0);
        assertEquals("UP", healthCheck("webhook-backlog").path("status").asText());
        assertEquals(3, webhookCalls(HOOK).size(), "two failed attempts, then the replayed delivery");
        JsonNode record = await("record delivered").atMost(DELIVERY_TIMEOUT)
                .until(() -> record(uuid), r -> "delivered".equals(r.path("webhook_state").asText()));
        assertEquals(1, record.path("webhook_attempts").asInt(), "the replay's first attempt: " + record);
        assertFalse(record.path("delivered_at").isNull(), record.toString());
    }

    private JsonNode record(String uuid) {
        HttpResponse<String> answer = get("/requests/" + uuid);
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer.body());
    }

    private List<ServeEvent> deliveries() {
        return webhooks().getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(HOOK)).toList();
    }
}
