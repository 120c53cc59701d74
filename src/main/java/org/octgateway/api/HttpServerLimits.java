package org.octgateway.api;

import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.CamelContext;

/**
 * The limits of the business HTTP server that keep slow or hostile clients from holding it:
 * {@code gateway.http.*} in application.properties (the defaults and their reasons are there).
 *
 * @param idleTimeoutSeconds    a connection on which nothing is read or written for this long is closed
 * @param headerTimeoutSeconds  a request's headers must be complete within this long of the connection opening
 *                              (of the previous answer, plus the idle timeout, on a kept-alive connection)
 * @param requestTimeoutSeconds a request's body must be complete and handed to the gateway within this long
 *                              of its headers; else 408 (400 for a multipart body that ended unfinished)
 * @param maxConnections        open connections beyond this many are closed at once
 */
public record HttpServerLimits(int idleTimeoutSeconds, int headerTimeoutSeconds, int requestTimeoutSeconds,
                               int maxConnections) {

    /**
     * Parts a form may have. The API takes one part (the image); a few more are tolerated so that clients
     * which add a field do not break, thousands of parts (each a temp file) are refused with 400.
     */
    static final int MAX_FORM_PARTS = 32;

    public HttpServerLimits {
        if (idleTimeoutSeconds <= 0 || headerTimeoutSeconds <= 0 || requestTimeoutSeconds <= 0 || maxConnections <= 0) {
            throw new IllegalArgumentException("gateway.http.* timeouts and max-connections must be positive: " + this);
        }
    }

    /** Reads the {@code gateway.http.*} settings. */
    public static HttpServerLimits read(CamelContext context) {
        return new HttpServerLimits(
                setting(context, "idle-timeout-seconds"),
                setting(context, "header-timeout-seconds"),
                setting(context, "request-timeout-seconds"),
                setting(context, "max-connections"));
    }

    private static int setting(CamelContext context, String name) {
        return Integer.parseInt(context.resolvePropertyPlaceholders("{{gateway.http." + name + "}}").trim());
    }

    /** Vert.x server options with these limits; the header and request-line limits stay Vert.x's (8 KiB, 4 KiB). */
    HttpServerOptions serverOptions() {
        return new HttpServerOptions()
                .setIdleTimeout(idleTimeoutSeconds)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxFormFields(MAX_FORM_PARTS)
                // Clinics' systems speak HTTP/1.1; cleartext HTTP/2 (h2c) would multiplex requests past the
                // per-connection deadlines and the connection cap.
                .setHttp2ClearTextEnabled(false);
    }
}
