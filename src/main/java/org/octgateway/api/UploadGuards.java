package org.octgateway.api;

import io.vertx.ext.web.Router;

/**
 * Installs the business port's upload guards on its router, ahead of the REST routes: the bytes-in-flight limit
 * (BytesInFlight), then the clean-up of upload part files and the 413 of a body that crossed the limit while
 * being read (UploadFileCleanup). Once, when the context has started.
 */
public class UploadGuards extends BusinessRouterSetup {

    private final BytesInFlight bytesInFlight;
    private final long maxBodySize;

    public UploadGuards(int businessPort, BytesInFlight bytesInFlight, long maxBodySize) {
        super(businessPort);
        this.bytesInFlight = bytesInFlight;
        this.maxBodySize = maxBodySize;
    }

    @Override
    void install(Router router) {
        // Before any route reads a body: the in-flight count (and the 413 of a body announced over the limit) first.
        UploadFileCleanup cleanup = new UploadFileCleanup(maxBodySize);
        router.route().order(Integer.MIN_VALUE + 1).handler(bytesInFlight).handler(cleanup)
                .failureHandler(cleanup::overLimitFailure);
    }
}
