package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.Router;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness fails while the business port's event loop is blocked (its REST API cannot answer then), and recovers
 * when the loop runs again. The loop is blocked on purpose by a request to a handler that sleeps on it.
 */
class EventLoopLivenessTest extends GatewayTestSupport {

    private static final long BLOCK_MS = 4_000;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.health.event-loop-max-delay-ms", "1000");
    }

    @Test
    void livenessIsDownWhileTheBusinessEventLoopIsBlockedAndUpAgainAfterwards() {
        HttpResponse<String> up = getManagement("/observe/health/live?exposureLevel=full");
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("UP", checkNamed(json(up.body()), "event-loop").path("status").asText(), up.body());
        Router business = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(peers().httpPort));
        business.get("/test/block-event-loop").order(Integer.MIN_VALUE).handler(ctx -> {
            try {
                Thread.sleep(BLOCK_MS); // what a careless handler does: blocks the loop that serves the port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ctx.end("unblocked");
        });

        CompletableFuture<HttpResponse<String>> blocking = peers().http.sendAsync(
                HttpRequest.newBuilder(gateway("/test/block-event-loop")).build(), HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> down = await("liveness DOWN").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> getManagement("/observe/health/live?exposureLevel=full&data=true"), r -> r.statusCode() == 503);
        JsonNode check = checkNamed(json(down.body()), "event-loop");
        assertEquals("DOWN", check.path("status").asText(), down.body());
        assertTrue(check.path("message").asText().contains("event loop"), down.body());

        assertEquals("unblocked", blocking.join().body());
        await("liveness UP again").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> getManagement("/observe/health/live").statusCode() == 200);
        assertEquals(200, get("/ping").statusCode());
    }

    private static JsonNode checkNamed(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
