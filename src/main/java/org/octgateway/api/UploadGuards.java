package org.octgateway.api;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Installs the business port's upload guards on its router, ahead of the REST routes: the bytes-in-flight limit
 * (BytesInFlight), then the clean-up of upload part files and the 413 of a body that crossed the limit while
 * being read (UploadFileCleanup). Once, when the context has started.
 */
public class UploadGuards implements StartupListener {

    private final int businessPort;
    private final BytesInFlight bytesInFlight;
    private final long maxBodySize;
    private final AtomicBoolean installed = new AtomicBoolean();

    public UploadGuards(int businessPort, BytesInFlight bytesInFlight, long maxBodySize) {
        this.businessPort = businessPort;
        this.maxBodySize = maxBodySize;
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
        UploadFileCleanup cleanup = new UploadFileCleanup(maxBodySize);
        router.route().order(Integer.MIN_VALUE + 1).handler(bytesInFlight).handler(cleanup)
                .failureHandler(cleanup::overLimitFailure);
    }
}
