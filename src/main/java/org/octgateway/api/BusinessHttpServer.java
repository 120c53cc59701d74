package org.octgateway.api;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Handler;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business port's Vert.x HTTP server: Camel's {@link VertxPlatformHttpServer} (same routers, body handler,
 * registry binding, so the REST consumers attach as usual), started with the gateway's own server options and
 * handlers, which Camel 4.17 offers no way to set:
 * <ul>
 *   <li>{@link HttpServerLimits}: idle timeout, at most 32 form parts, HTTP/1.1 only;</li>
 *   <li>{@link StrictRequestDecoder}: a request with Content-Length and Transfer-Encoding together, or a broken
 *       chunked body, is refused with 400 (request smuggling);</li>
 *   <li>{@link RequestHeads}: header names that are not tokens, several Host headers, an unusual
 *       Transfer-Encoding are refused with 400;</li>
 *   <li>{@link ConnectionGuard}: the connection cap and the header deadline;</li>
 *   <li>{@link RequestDeadlines}: the request (body) deadline;</li>
 *   <li>{@link UploadFiles}: a request's upload temp files are removed when it is answered, whatever happened;</li>
 *   <li>{@link MultipartBoundary}: multipart bodies without a usable boundary are refused before decoding;</li>
 *   <li>{@link JsonHttpErrors}: JSON answers for requests the codec cannot read and for every failure.</li>
 * </ul>
 */
public class BusinessHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessHttpServer.class);
    private final VertxPlatformHttpServerConfiguration configuration;
    private final HttpServerLimits limits;
    private Router router;
    private ConnectionGuard connections;
    private HttpServer server;

    public BusinessHttpServer(VertxPlatformHttpServerConfiguration configuration, HttpServerLimits limits) {
        super(configuration);
        this.configuration = configuration;
        this.limits = limits;
    }

    @Override
    protected void initializeServer() {
        // Camel would set these up on a router and server options this class replaces: refuse, rather than serve
        // the business API without the TLS or authentication an operator configured.
        if (configuration.getAuthenticationConfig().isEnabled() || configuration.getSslContextParameters() != null
                || configuration.isUseGlobalSslContextParameters()) {
            throw new IllegalStateException("camel.server authentication and TLS are not supported on the business port:"
                    + " terminate TLS and authenticate at a reverse proxy in front of the gateway");
        }
        super.initializeServer(); // Vert.x, and the router the REST consumers attach to (bound in the registry)
        String routerName = VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort());
        VertxPlatformHttpRouter camelRouter = VertxPlatformHttpRouter.lookup(getCamelContext(), routerName);
        long maxBodySize = configuration.getMaxBodySize() == null ? -1 : configuration.getMaxBodySize();
        RequestDeadlines deadlines = new RequestDeadlines(getVertx(), limits.requestTimeoutSeconds(), maxBodySize);
        connections = new ConnectionGuard(getVertx(), limits);
        // The same router, its body handler refusing multipart bodies without a boundary, and watched by the
        // request deadline.
        VertxPlatformHttpRouter watchedRouter = new VertxPlatformHttpRouter(this, getVertx(), camelRouter, routerName) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                return deadlines.watching(MultipartBoundary.checked(camelRouter.bodyHandler()));
            }
        };
        // replaces Camel's binding (the registry keys beans by name and type: unbind first)
        getCamelContext().getRegistry().unbind(routerName);
        getCamelContext().getRegistry().bind(routerName, watchedRouter);

        router = Router.router(getVertx());
        router.route().handler(request -> {
            connections.requestArrived(request);
            UploadFiles.removeWhenAnswered(request);
            String malformedHead = RequestHeads.problem(request.request());
            if (malformedHead != null) {
                JsonHttpErrors.answerAndClose(request.request(), 400, "bad_request", malformedHead);
                return;
            }
            deadlines.start(request);
        });
        router.route(configuration.getPath() + "*").subRouter(watchedRouter);
        router.route().failureHandler(JsonHttpErrors.failureHandler(maxBodySize));
        // A path or query that cannot be decoded (a '%' not followed by two hex digits) fails while the router
        // matches routes, before any handler: Vert.x would answer a plain-text 400.
        router.errorHandler(400, JsonHttpErrors::undecodableTarget);
    }

    @Override
    protected void startServer() throws Exception {
        HttpServerOptions options = limits.serverOptions();
        server = getVertx().createHttpServer(options)
                .connectionHandler(connection -> {
                    StrictRequestDecoder.install(connection, options);
                    connections.connected(connection);
                })
                .invalidRequestHandler(JsonHttpErrors::invalidRequest)
                .requestHandler(router);
        server.listen(configuration.getBindPort(), configuration.getBindHost())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("Business HTTP server started on {}:{} ({})", configuration.getBindHost(), server.actualPort(), limits);
    }

    @Override
    protected void stopServer() {
        if (server == null) {
            return;
        }
        getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
        if (awaitClosed(server.close(), "the business HTTP server")) {
            LOG.info("Business HTTP server stopped");
        }
        server = null;
    }

    /** Closes the Vert.x instance Camel created for this server (one found in the registry belongs to others). */
    @Override
    protected void stopVertx() {
        if (getVertx() != null && lookupVertx() == null) {
            awaitClosed(getVertx().close(), "the business server's Vert.x");
        }
    }

    private static boolean awaitClosed(Future<Void> closing, String what) {
        try {
            closing.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", what, e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public int getPort() {
        return server != null ? server.actualPort() : configuration.getBindPort();
    }
}
