package org.octgateway;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** An upload over camel.server.maxBodySize is refused with 413, and the gateway keeps taking work. */
class BodyLimitTest extends GatewayTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("camel.server.maxBodySize", "100000");
    }

    @Test
    void uploadOverTheBodyLimitIsRefusedWith413() {
        byte[] big = Arrays.copyOf(TestImages.png(3), 200_000);

        HttpResponse<String> response = uploadImage("big.png", "image/png", big,
                Map.of("Webhook-Url", webhookUrl("/hooks/limit")));

        assertEquals(413, response.statusCode(), response.body());
        System.out.println("413 answer: Content-Type=" + response.headers().firstValue("Content-Type").orElse("(none)")
                + " body=[" + response.body() + "]");
        assertEquals(200, get("/ping").statusCode());
    }

    @Test
    void uploadOverTheBodyLimitAnswersTheJsonError() {
        byte[] big = Arrays.copyOf(TestImages.png(3), 200_000);

        HttpResponse<String> response = uploadImage("big.png", "image/png", big,
                Map.of("Webhook-Url", webhookUrl("/hooks/limit")));

        assertEquals(413, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals("error", body.path("status").asText(), response.body());
        assertFalse(body.path("error").asText().isBlank(), response.body());
        assertFalse(body.path("message").asText().isBlank(), response.body());
    }

    @Test
    void uploadUnderTheBodyLimitIsAccepted() {
        byte[] small = Arrays.copyOf(TestImages.png(4), 50_000);

        accepted(uploadImage("small.png", "image/png", small, Map.of("Webhook-Url", webhookUrl("/hooks/limit"))));
    }
}
