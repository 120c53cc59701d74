package org.octgateway;

import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An inference server nobody listens for (a closed port): retried, then an error envelope for the caller. */
class InferenceUnreachableTest extends GatewayTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.inference.url", "http://127.0.0.1:" + TestPorts.free() + "/inference");
        properties.setProperty("gateway.inference.max-attempts", "3");
    }

    @BeforeAll
    void webhooksAnswer() {
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @Test
    void unreachableInferenceServerGivesAnErrorEnvelope() {
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(9), Map.of(
                "Webhook-Url", webhookUrl("/hooks/unreachable"), "Examination-ID", "exam-unreachable")));

        JsonNode envelope = awaitEnvelope("/hooks/unreachable", uuid);
        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("error").asText().contains("could not be reached"), envelope.toString());
        assertTrue(envelope.path("result_path").isNull(), envelope.toString());
        assertEquals("exam-unreachable", envelope.path("examination_id").asText());
        assertEquals(1, envelopesAt("/hooks/unreachable", uuid).size());
    }
}
