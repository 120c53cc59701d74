package org.octgateway;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.EmbeddedBroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the job queue gone, the gateway says so: /ping 503, and uploads are refused with 503, nothing accepted. */
class QueueUnavailableTest extends GatewayTestSupport {

    @Test
    void pingAndUploadsAnswer503WhenTheQueueIsDown() throws Exception {
        assertEquals(200, get("/ping").statusCode(), "the queue is up at first");

        EmbeddedBroker broker = context.getRegistry().lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        assertNotNull(broker, "the embedded broker bean");
        broker.stop();

        HttpResponse<String> ping = get("/ping");
        assertServiceUnavailable(ping);

        HttpResponse<String> upload = uploadImage("scan.png", "image/png", TestImages.png(11),
                Map.of("Webhook-Url", webhookUrl("/hooks/never")));
        assertServiceUnavailable(upload);
        assertTrue(inference().getAllServeEvents().isEmpty(), "nothing reached the inference server");
    }

    private static void assertServiceUnavailable(HttpResponse<String> response) {
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = json(response.body());
        assertEquals("error", body.path("status").asText(), response.body());
        assertEquals("queue_unavailable", body.path("error").asText(), response.body());
        assertTrue(!body.path("message").asText().isBlank(), response.body());
    }
}
