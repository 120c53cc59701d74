package org.octgateway.api;

import io.vertx.ext.web.RoutingContext;

/**
 * Writes an {@link ApiError} (status, its response headers, the JSON body) as the answer of a Vert.x handler that
 * refuses a request before any route runs, on the business or the management port.
 */
public final class JsonAnswers {

    private JsonAnswers() {
    }

    public static void send(RoutingContext ctx, ApiError error) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json");
        error.responseHeaders().forEach(ctx.response()::putHeader);
        ctx.response().end(error.json());
    }
}
