package org.octgateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One caller's backlog does not hold up another caller's next job: with one worker and a slow inference server,
 * a light caller's upload reaches the inference server ahead of the jobs a heavy caller queued before it
 * (ordered by the inference server's own request journal).
 */
class FairnessTest extends GatewayTestSupport {

    private static final String HEAVY_KEY = "heavy-2d6f0a9b8c7e4135";
    private static final String LIGHT_KEY = "light-9e1b3c5d7f0a2468";
    private static final String HOOK = "/hooks/fairness";
    private static final int HEAVY_JOBS = 10;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.api-keys", "heavy:" + HEAVY_KEY + ",light:" + LIGHT_KEY);
        properties.setProperty("gateway.inference.concurrency", "1");
    }

    @BeforeAll
    void slowInferenceServer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}").withFixedDelay(300)));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private String uploadAs(String key, int seed) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Webhook-Url", webhookUrl(HOOK));
        headers.put("Authorization", "Bearer " + key);
        return accepted(uploadImage("scan-" + seed + ".png", "image/png", TestImages.png(seed), headers));
    }

    @Test
    void aLightCallersJobOvertakesAHeavyCallersBacklog() throws Exception {
        // the worker waits while the heavy caller's backlog builds up, as it would behind a slow model server
        context.getRouteController().stopRoute("job-worker");
        List<String> heavy = new ArrayList<>();
        for (int i = 0; i < HEAVY_JOBS; i++) {
            heavy.add(uploadAs(HEAVY_KEY, 100 + i));
        }
        String light = uploadAs(LIGHT_KEY, 200);
        context.getRouteController().startRoute("job-worker");

        List<LoggedRequest> calls = await("every job reached the inference server").atMost(DELIVERY_TIMEOUT)
                .until(() -> inference().findAll(postRequestedFor(urlPathEqualTo("/inference"))),
                        all -> all.size() >= HEAVY_JOBS + 1);
        List<String> order = calls.stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(call -> call.getHeader("X-Request-ID")).toList();
        assertEquals(HEAVY_JOBS + 1, order.size(), order.toString());
        int lightPosition = order.indexOf(light);
        // Without priorities it would be last (position 10). With them it comes right after the heavy caller's first
        // job, the only one queued while nothing of that caller was waiting (both priority 9, first come first served).
        assertTrue(lightPosition >= 0 && lightPosition <= 1,
                "the light caller's job came at position " + lightPosition + " of " + order.size());
        List<String> heavyOrder = order.stream().filter(heavy::contains).toList();
        assertEquals(heavy, heavyOrder, "the heavy caller's own jobs keep their order");
    }
}
