package org.octgateway.contract;

import io.vertx.core.http.HttpServerRequest;
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

    /**
     * Refuses a request whose body has not been read: the body is dropped as it arrives (neither kept nor counted),
     * since answering without reading it would make many clients see a reset connection instead of the answer.
     */
    public static void refuseUnread(RoutingContext ctx, ApiError error) {
        dropBody(ctx.request());
        send(ctx, error);
    }

    /** Answers 200 with a JSON body to a request whose body has not been read (dropped as it arrives, as above). */
    public static void okUnread(RoutingContext ctx, String json) {
        dropBody(ctx.request());
        ctx.response().putHeader("Content-Type", "application/json").end(json);
    }

    private static void dropBody(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(ignored -> { });
            request.resume();
        }
    }
}
