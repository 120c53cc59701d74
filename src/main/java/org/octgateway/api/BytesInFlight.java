package org.octgateway.api;

import org.octgateway.contract.JsonAnswers;
import org.octgateway.contract.ApiError;
import java.util.Map;

import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Never more than {@code gateway.upload.max-bytes-in-flight} of request bodies at once on the business port.
 * A request's body is counted by its Content-Length before a byte of it is read; a chunked body (no length
 * announced) counts as the largest body the server takes ({@code camel.server.maxBodySize}), since it may grow to
 * that. What does not fit is answered 503 {@code busy} with Retry-After at once, and its body is read and dropped
 * (so the client gets the answer, not a reset connection); the count goes down when the request ends, however
 * it ends (answered, failed, or the client went away).
 * <p>
 * A Vert.x handler on the business router, ahead of the routes: it runs on the event loop and never blocks.
 */
public class BytesInFlight implements Handler<RoutingContext> {

    /** How long a refused client should wait before trying again: uploads in flight usually finish within that. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final long maxBytesInFlight;
    private final long maxBodySize;
    private final AtomicLong inFlight = new AtomicLong();

    public BytesInFlight(long maxBytesInFlight, long maxBodySize) {
        this.maxBytesInFlight = maxBytesInFlight;
        this.maxBodySize = maxBodySize;
    }

    /** Bytes of request bodies counted right now (for tests and operators). */
    public long inFlight() {
        return inFlight.get();
    }

    @Override
    public void handle(RoutingContext ctx) {
        long size = announcedBodySize(ctx.request(), maxBodySize);
        if (size <= 0) {
            ctx.next();
            return;
        }
        if (size > maxBodySize) {
            // too large to take at all, however idle the gateway: 413 (the failure handler answers it), not "busy"
            ctx.fail(413);
            return;
        }
        if (!reserve(size)) {
            refuse(ctx);
            return;
        }
        ctx.addEndHandler(ended -> inFlight.addAndGet(-size));
        ctx.next();
    }

    /**
     * The body size a request announces: its Content-Length; {@code sizeWhenUnknown} for a chunked or unreadable
     * one; 0 for none.
     */
    private static long announcedBodySize(HttpServerRequest request, long sizeWhenUnknown) {
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                return Math.max(0, Long.parseLong(length.strip()));
            } catch (NumberFormatException e) {
                return sizeWhenUnknown; // malformed: the HTTP codec refuses it, but never count it as free
            }
        }
        return request.headers().contains("Transfer-Encoding") ? sizeWhenUnknown : 0;
    }

    private boolean reserve(long size) {
        while (true) {
            long current = inFlight.get();
            if (current + size > maxBytesInFlight) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + size)) {
                return true;
            }
        }
    }

    private void refuse(RoutingContext ctx) {
        JsonAnswers.refuseUnread(ctx, new ApiError(503, "busy", "The gateway is receiving as many request bodies as it"
                + " holds at once (" + maxBytesInFlight + " bytes); nothing was accepted. Try again in "
                + RETRY_AFTER_SECONDS + " seconds.", Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))));
    }

    /** Whether the request announces a body (a Content-Length above 0, or a Transfer-Encoding). */
    static boolean hasBody(HttpServerRequest request) {
        return announcedBodySize(request, 1) > 0;
    }
}
