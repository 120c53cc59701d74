package org.octgateway.api;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Installs the business port's upload guards on its router, ahead of the REST routes: the bytes-in-flight limit
 * (BytesInFlight), then the clean-up of upload part files (UploadFileCleanup). Once, when the context has started.
 */
public class UploadGuards implements StartupListener {

    private final int businessPort;
    private final BytesInFlight bytesInFlight;
    private final AtomicBoolean installed = new AtomicBoolean();

    public UploadGuards(int businessPort, BytesInFlight bytesInFlight) {
        this.businessPort = businessPort;
        this.bytesInFlight = bytesInFlight;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(businessPort));
        if (router == null || !installed.compareAndSet(false, true)) {
            return; // no business server, or already installed (this is called again when routes start later)
        }
        // Right after JsonHttpErrors' first-order check (413 by Content-Length), before any route reads a body.
        router.route().order(Integer.MIN_VALUE + 1).handler(bytesInFlight).handler(new UploadFileCleanup());
    }
}
