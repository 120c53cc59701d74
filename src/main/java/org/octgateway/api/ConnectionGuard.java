package org.octgateway.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-level limits of the business port: at most {@code maxConnections} open connections (one more is
 * closed at once), and a header deadline: a connection must deliver a request's headers within
 * {@code headerTimeoutSeconds} of opening, or it is answered 408 and closed (a client trickling its headers byte
 * by byte keeps a connection busy without ever making a request). On a kept-alive connection the next request's headers are due
 * within the idle timeout plus the header timeout after the previous answer: a silent connection is closed by
 * the idle timeout first, exactly as before.
 */
final class ConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private final Vertx vertx;
    private final HttpServerLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    /** Per open connection: the id of its header-deadline timer, or -1 while a request is in progress. */
    private final Map<HttpConnection, Long> headerDeadlines = new ConcurrentHashMap<>();

    ConnectionGuard(Vertx vertx, HttpServerLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** The server's connection handler (event loop). */
    void connected(HttpConnection connection) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            long total = refused.incrementAndGet();
            // a flood of connections must not flood the log too: the 1st, 2nd, 4th, 8th... refusal is logged
            if (Long.bitCount(total) == 1) {
                LOG.warn("Refused a connection from {}: {} connections are open (gateway.http.max-connections);"
                        + " {} refused since start", connection.remoteAddress(), limits.maxConnections(), total);
            }
            connection.close();
            return;
        }
        connection.closeHandler(closed -> {
            open.decrementAndGet();
            cancel(headerDeadlines.remove(connection));
        });
        awaitHeaders(connection, limits.headerTimeoutSeconds());
    }

    /** A request's headers arrived: the header deadline stops until its answer is complete. */
    void requestArrived(RoutingContext request) {
        HttpConnection connection = request.request().connection();
        Long timer = headerDeadlines.replace(connection, -1L);
        cancel(timer);
        request.addEndHandler(answered -> {
            if (headerDeadlines.containsKey(connection)) {
                awaitHeaders(connection, limits.idleTimeoutSeconds() + limits.headerTimeoutSeconds());
            }
        });
    }

    private void awaitHeaders(HttpConnection connection, int seconds) {
        long timer = vertx.setTimer(seconds * 1000L, fired -> {
            if (headerDeadlines.remove(connection, fired)) {
                LOG.debug("Closed a connection from {}: no complete request headers within {} s",
                        connection.remoteAddress(), seconds);
                JsonHttpErrors.answerAndClose(connection, 408, "request_timeout",
                        "The request headers did not arrive completely within " + seconds + " seconds.");
            }
        });
        cancel(headerDeadlines.put(connection, timer));
    }

    private void cancel(Long timer) {
        if (timer != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
