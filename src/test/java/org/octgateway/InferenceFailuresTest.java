package org.octgateway;

import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference server failing: 5xx is retried (up to gateway.inference.max-attempts = 3 here), 4xx is final;
 * either way the caller's webhook hears about the job. Stubs are told apart by Examination-ID.
 */
class InferenceFailuresTest extends GatewayTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.inference.max-attempts", "3");
    }

    @BeforeAll
    void webhooksAnswer() {
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private String uploadForExam(String examinationId, String hook) {
        return accepted(uploadImage("scan.png", "image/png", TestImages.png(examinationId.hashCode()), Map.of(
                "Webhook-Url", webhookUrl(hook), "Examination-ID", examinationId)));
    }

    @Test
    void inference503TwiceThen200GivesACompletedEnvelope() {
        String exam = "exam-503-then-200";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs(STARTED).willSetStateTo("failed once")
                .willReturn(serviceUnavailable()));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs("failed once").willSetStateTo("failed twice")
                .willReturn(serviceUnavailable()));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs("failed twice")
                .willReturn(okJson("{\"answer\":\"third time lucky\"}")));

        String uuid = uploadForExam(exam, "/hooks/503-then-200");

        JsonNode envelope = awaitEnvelope("/hooks/503-then-200", uuid);
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        assertEquals("third time lucky", envelope.path("result").path("answer").asText(), envelope.toString());
        assertEquals(3, inferenceCallsFor(uuid).size());
        assertEquals(1, envelopesAt("/hooks/503-then-200", uuid).size());
    }

    @Test
    void inference422GivesAnErrorEnvelopeAtOnce() {
        String exam = "exam-422";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .willReturn(aResponse().withStatus(422).withBody("{\"detail\":\"not an OCT B-scan\"}")));

        String uuid = uploadForExam(exam, "/hooks/422");

        JsonNode envelope = awaitEnvelope("/hooks/422", uuid);
        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("error").asText().contains("422"), envelope.toString());
        assertTrue(envelope.has("result_path") && envelope.path("result_path").isNull(), envelope.toString());
        assertTrue(envelope.path("result").isMissingNode(), envelope.toString());
        assertEquals(exam, envelope.path("examination_id").asText());
        assertEquals(1, inferenceCallsFor(uuid).size(), "a 4xx must not be retried");
    }

    @Test
    void inference503EveryTimeGivesAnErrorEnvelopeAfterMaxAttempts() {
        String exam = "exam-always-503";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .willReturn(serviceUnavailable().withBody("overloaded")));

        String uuid = uploadForExam(exam, "/hooks/always-503");

        JsonNode envelope = awaitEnvelope("/hooks/always-503", uuid);
        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("error").asText().contains("503"), envelope.toString());
        assertTrue(envelope.path("result_path").isNull(), envelope.toString());
        assertEquals(3, inferenceCallsFor(uuid).size(), "gateway.inference.max-attempts=3");
    }
}
