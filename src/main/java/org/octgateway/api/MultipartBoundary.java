package org.octgateway.api;

import java.util.Locale;
import java.util.regex.Pattern;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a multipart/form-data request whose Content-Type has no usable boundary before the body handler
 * decodes it: Netty's decoder fails on an empty boundary with an IndexOutOfBounds error (a 500), and a body
 * cannot be split without one. A boundary is 1 to 70 characters (RFC 2046), quoted or not.
 */
final class MultipartBoundary {

    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]{1,70})\"|([^\";\\s]{1,70}))\\s*(;|$)");

    private MultipartBoundary() {
    }

    /** {@code bodyHandler}, run only for requests that are not multipart or have a usable boundary. */
    static Handler<RoutingContext> checked(Handler<RoutingContext> bodyHandler) {
        return request -> {
            String contentType = request.request().getHeader("Content-Type");
            if (contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")
                    && !hasBoundary(contentType)) {
                JsonHttpErrors.answer(request.request(), 400, "malformed_body",
                        "The multipart Content-Type needs a boundary of 1 to 70 characters.");
            } else {
                bodyHandler.handle(request);
            }
        };
    }

    private static boolean hasBoundary(String contentType) {
        return BOUNDARY.matcher(contentType).find();
    }
}
