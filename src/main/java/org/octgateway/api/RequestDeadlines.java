package org.octgateway.api;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextDecorator;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * The request deadline of the business port: from its headers, a request's body must be complete and handed to
 * the gateway's routes within {@code requestTimeoutSeconds}. Otherwise it is answered and its connection closed:
 * 408 when the body is still arriving (a client that stalls or trickles), 400 when the body did arrive but the
 * body handler never finished it (a multipart body without its closing boundary leaves Vert.x waiting for the
 * rest of a part that never comes). The time the routes then take is not the client's: the deadline stops at
 * the hand-over, or when the answer starts. A body that fails to decode ends its deadline with a 400 at once.
 */
final class RequestDeadlines {

    private static final String DEADLINE = RequestDeadlines.class.getName();
    private final Vertx vertx;
    private final int seconds;
    private final long maxBodySize;

    /** {@code maxBodySize}: camel.server.maxBodySize, -1 if none. */
    RequestDeadlines(Vertx vertx, int seconds, long maxBodySize) {
        this.vertx = vertx;
        this.seconds = seconds;
        this.maxBodySize = maxBodySize;
    }

    /** First handler of every request: starts its deadline. */
    void start(RoutingContext request) {
        Deadline deadline = new Deadline(request);
        request.put(DEADLINE, deadline);
        long timer = vertx.setTimer(seconds * 1000L, fired -> deadline.expire());
        deadline.onStop(() -> vertx.cancelTimer(timer));
        request.addHeadersEndHandler(answering -> deadline.stop());
        request.addEndHandler(ended -> deadline.stop());
        if (!request.request().isEnded()) {
            // A body the decoder cannot read fails here first (Vert.x's body handler may fail to report it)
            request.request().end().onFailure(deadline::bodyFailed);
        }
        request.next();
    }

    /**
     * The body handler the REST consumers use, watched: when it hands the complete body on to the route, the
     * deadline stops; until then, it is the body that is late.
     */
    Handler<RoutingContext> watching(Handler<RoutingContext> bodyHandler) {
        return request -> {
            Deadline deadline = request.get(DEADLINE);
            if (deadline == null) {
                bodyHandler.handle(request);
                return;
            }
            deadline.bodyHandlerStarted = true;
            bodyHandler.handle(new RoutingContextDecorator(request.currentRoute(), (RoutingContextInternal) request) {
                @Override
                public void next() {
                    deadline.stop();
                    super.next();
                }
            });
        };
    }

    private final class Deadline {
        private final RoutingContext request;
        private final AtomicBoolean over = new AtomicBoolean();
        private Runnable onStop = () -> { };
        private volatile boolean bodyHandlerStarted;

        Deadline(RoutingContext request) {
            this.request = request;
        }

        void onStop(Runnable action) {
            onStop = action;
        }

        void stop() {
            if (over.compareAndSet(false, true)) {
                onStop.run();
            }
        }

        void bodyFailed(Throwable failure) {
            boolean overTheLimit = maxBodySize >= 0 && request.request().bytesRead() > maxBodySize;
            if (failure instanceof StrictRequestDecoder.MalformedChunks
                    || JsonHttpErrors.isMalformedBody(failure) && !overTheLimit) {
                // Answered now, even if the deadline has stopped: the failure has already run the request's end
                // handlers (which stop it) and, for a broken chunked body, Vert.x closes the connection in this very
                // turn. The part files cancelled meanwhile fail the request too ("Pipe closed"): answering later
                // could pick that failure instead of this one. A body over the limit is the body handler's 413.
                stop();
                JsonHttpErrors.answerMalformedBody(request.request(), failure);
            }
        }

        void expire() {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            HttpServerRequest http = request.request();
            if (!http.isEnded()) {
                JsonHttpErrors.answerAndClose(http, 408, "request_timeout",
                        "The request body did not arrive completely within " + seconds + " seconds.");
            } else if (bodyHandlerStarted) {
                JsonHttpErrors.answerAndClose(http, 400, "malformed_body",
                        "The request body ended before it was complete (a multipart body needs its closing boundary).");
            } else {
                return; // the body is complete and a route reads it itself; its answer comes from there
            }
            // answered: the parts written to disk so far go
            try {
                request.cancelAndCleanupFileUploads();
            } catch (IllegalStateException fileAlreadyClosed) {
                // Vert.x stops at a part whose file closed meanwhile ("File handle is closed"); the end handlers of
                // UploadFiles and UploadFileCleanup delete every part file all the same
            }
        }
    }
}
