package org.octgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * JSON bodies for the errors the HTTP server answers before any route runs: an unknown path (404),
 * a wrong method (405) and a body over {@code camel.server.maxBodySize} (413).
 */
public class JsonHttpErrors implements StartupListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int businessPort;

    public JsonHttpErrors(int businessPort) {
        this.businessPort = businessPort;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(businessPort));
        if (router == null) {
            return;
        }
        router.errorHandler(404, ctx -> answer(ctx, 404, "not_found", "No such endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> answer(ctx, 405, "method_not_allowed",
                "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> answer(ctx, 413, "payload_too_large",
                "The request body is larger than the gateway accepts (camel.server.maxBodySize)."));
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
