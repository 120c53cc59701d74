package org.octgateway;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model server is down (nothing listens on its port): the gateway stays ready and keeps accepting,
 * the full health output says why jobs are not progressing, and accepted jobs wait (here: a long retry
 * delay keeps the job in the work queue instead of turning it into an error envelope).
 */
class InferenceDownHealthTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/inference-down";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.inference.url", "http://127.0.0.1:" + TestPorts.free() + "/inference");
        properties.setProperty("gateway.inference.retry-delay-ms", "60000");
        properties.setProperty("gateway.inference.max-retry-delay-ms", "60000");
    }

    @BeforeAll
    void webhooksAnswer() {
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    /** The jobs sleep in their 60 s retry delay at the end: do not wait for them when the class stops the gateway. */
    @AfterAll
    void shortShutdown() {
        if (context != null) {
            context.getShutdownStrategy().setTimeout(1);
        }
    }

    @Test
    void gatewayStaysReadyAndKeepsAcceptingWhileTheInferenceServerIsDown() {
        HttpResponse<String> upload = uploadImage("scan.png", "image/png", TestImages.png(77), Map.of("Webhook-Url", webhookUrl(HOOK)));
        String uuid = accepted(upload);

        // the job waits in the work queue
        await("job waiting in the queue").atMost(DELIVERY_TIMEOUT)
                .until(() -> metricValue("gateway_queue_backlog").orElse(0.0) >= 1);
        assertTrue(envelopesAt(HOOK, uuid).isEmpty(), "no result can exist while the inference server is down");

        // ready and UP, but the full output names the cause
        assertReadyLiveAndUp();
        JsonNode inferenceServer = healthCheck("inference-server");
        assertNotEquals("UP", inferenceServer.path("status").asText(), fullHealth().toString());
        assertEquals("UNKNOWN", inferenceServer.path("status").asText(), inferenceServer.toString());
        assertEquals("false", inferenceServer.path("data").path("reachable").asText(), inferenceServer.toString());
        assertEquals("UP", healthCheck("job-queue").path("status").asText());

        // and it keeps accepting work
        assertEquals(200, get("/ping").statusCode());
        String second = accepted(uploadImage("scan-2.png", "image/png", TestImages.png(78), Map.of("Webhook-Url", webhookUrl(HOOK))));
        assertNotEquals(uuid, second);
        assertTrue(metricValue("gateway_jobs_accepted_total{endpoint=\"invocations\"}").orElse(0.0) >= 2);
        assertTrue(webhookCalls(HOOK).isEmpty(), "no envelope (not even an error) while jobs wait for the server");
    }
}
