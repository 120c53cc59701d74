package org.octgateway;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without API keys the gateway says so once at startup, serves every caller as 'anonymous', and all of them share
 * one caller's share of the queue.
 */
class AnonymousCallersTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/anonymous";
    /** Opened while the test class is constructed, so it sees the gateway start. */
    private static LogCapture startupLog;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.api-keys", "");
        properties.setProperty("gateway.queue.max-backlog-per-caller", "2");
        if (startupLog == null) {
            startupLog = new LogCapture();
        }
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private HttpResponse<String> upload() {
        return uploadImage("scan.png", "image/png", TestImages.png(51), Map.of("Webhook-Url", webhookUrl(HOOK)));
    }

    @Test
    void startupWarnsOnceThatAnyCallerIsAccepted() {
        String text = startupLog.text();
        startupLog.close();
        Matcher warnings = Pattern.compile("WARN .*NO API KEYS").matcher(text);
        int count = 0;
        while (warnings.find()) {
            count++;
        }
        assertEquals(1, count, text);
    }

    @Test
    void callersWithoutKeysAreServedAsAnonymousAndShareOneCallersShare() throws Exception {
        context.getRouteController().stopRoute("job-worker");
        String first = accepted(upload());
        String second = accepted(upload());
        HttpResponse<String> refused = upload();
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("caller_queue_full", json(refused.body()).path("error").asText(), refused.body());
        assertTrue(json(refused.body()).path("message").asText().contains("'anonymous'"), refused.body());

        context.getRouteController().startRoute("job-worker");
        awaitEnvelope(HOOK, first);
        awaitEnvelope(HOOK, second);
        assertEquals(2.0, metricValue("gateway_caller_jobs_accepted_total{caller=\"anonymous\"}").orElse(0.0));
    }
}
