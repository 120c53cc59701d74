package org.octgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * JSON bodies for the errors the HTTP server would otherwise answer in HTML before any route runs:
 * a body over {@code camel.server.maxBodySize} (413, judged by Content-Length before the body is read)
 * and an unknown path or method (404; 503 while shutting down, when the REST routes have already stopped).
 */
public class JsonHttpErrors implements StartupListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int businessPort;
    private final long maxBodySize;
    private final java.util.function.BooleanSupplier shuttingDown;
    private final java.util.concurrent.atomic.AtomicBoolean installed = new java.util.concurrent.atomic.AtomicBoolean();

    public JsonHttpErrors(int businessPort, long maxBodySize, java.util.function.BooleanSupplier shuttingDown) {
        this.businessPort = businessPort;
        this.maxBodySize = maxBodySize;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(businessPort));
        if (router == null || !installed.compareAndSet(false, true)) {
            return; // no business server, or already installed (this is called again when routes start later)
        }
        // Vert.x answers these in HTML from its own routers; these routes answer them first, in JSON.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBodySize) {
                answer(ctx, 413, "payload_too_large", "The request body (" + length
                        + " bytes) is larger than the gateway accepts (" + maxBodySize + " bytes).");
            } else {
                ctx.next();
            }
        });
        // During shutdown the REST routes are gone before the HTTP server is: say 503, not 404, meanwhile.
        router.route().last().handler(ctx -> {
            if (shuttingDown.getAsBoolean()) {
                answer(ctx, 503, "shutting_down", "The gateway is shutting down; try again shortly.");
            } else {
                answer(ctx, 404, "not_found", "No such endpoint: " + ctx.request().method() + " " + ctx.request().path());
            }
        });
    }

    private static void answer(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(new ApiError(status, code, message).body());
        } catch (JsonProcessingException e) {
            body = "{\"status\":\"error\",\"error\":\"" + code + "\"}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
