package org.octgateway.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.JsonAnswers;
import org.octgateway.queue.QueueHealth;

/**
 * {@code GET /ping} answered on the Vert.x event loop, from {@link QueueHealth}'s state (which never waits for the
 * broker): 200 {@code {"status":"ok"}} while the gateway can accept work, else its 503 {@code queue_unavailable}.
 * The same answer as the contract's route {@code direct:ping} (api/AcceptRoutes), which stays the operation's route
 * for anything this handler passes on. Why not through Camel: the REST consumer's way costs a hop to a Vert.x worker
 * thread, an exchange, the contract lookup and a route of four steps per ping — about two thirds of a ping's CPU,
 * and the worker pool's queueing under load was most of /ping's p99. No body is read (a GET body is dropped unread),
 * no API key is needed (the contract: /ping is open), and the request's headers are not answered back.
 * Installed after the upload guards (the connection cap, header checks and deadlines of the top-level router
 * still run first), once.
 */
public class PingAnswer extends BusinessRouterSetup {

    /** The path, exactly as the contract writes it (GET /Ping or /ping/ go on to the REST consumer: 404). */
    static final String PATH = "/ping";
    /** The body of a 200. */
    static final String OK = "{\"status\":\"ok\"}";

    private final QueueHealth queueHealth;

    public PingAnswer(int businessPort, QueueHealth queueHealth) {
        super(businessPort);
        this.queueHealth = queueHealth;
    }

    @Override
    void install(Router router) {
        // after the upload guards (Integer.MIN_VALUE + 1), before the REST consumer's catch-all route
        router.route(HttpMethod.GET, PATH).order(Integer.MIN_VALUE + 2).handler(this::answer);
    }

    private void answer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!PATH.equals(request.path())) { // Vert.x also matches "/ping/": the contract does not
            ctx.next();
            return;
        }
        try {
            queueHealth.requireAcceptingWork();
        } catch (ApiError unavailable) {
            JsonAnswers.refuseUnread(ctx, unavailable);
            return;
        }
        JsonAnswers.okUnread(ctx, OK); // a body on a GET is dropped as it arrives, never kept
    }
}
