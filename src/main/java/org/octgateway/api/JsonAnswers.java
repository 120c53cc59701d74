package org.octgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

/** Writes an {@link ApiError} as the JSON answer of a Vert.x handler that refuses a request before any route runs. */
final class JsonAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswers() {
    }

    static void send(RoutingContext ctx, ApiError error, String... headerNamesAndValues) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(error.body());
        } catch (JsonProcessingException e) {
            body = "{\"status\":\"error\",\"error\":\"" + error.code() + "\"}";
        }
        ctx.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json");
        for (int i = 0; i + 1 < headerNamesAndValues.length; i += 2) {
            ctx.response().putHeader(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        ctx.response().end(body);
    }
}
