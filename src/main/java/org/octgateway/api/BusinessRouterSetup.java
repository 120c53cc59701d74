package org.octgateway.api;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Handlers the gateway adds to the business port's router, installed once Camel has started (the router the REST
 * consumers attach to exists only then). Camel calls startup listeners again whenever a route starts later (reloads,
 * route restarts), hence once.
 */
abstract class BusinessRouterSetup implements StartupListener {

    private final int businessPort;
    private final AtomicBoolean installed = new AtomicBoolean();

    BusinessRouterSetup(int businessPort) {
        this.businessPort = businessPort;
    }

    @Override
    public final void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public final void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(businessPort));
        if (router != null && installed.compareAndSet(false, true)) { // null: no business server
            install(router);
        }
    }

    abstract void install(Router router);
}
