package org.octgateway.api;

import io.vertx.ext.web.Router;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Installs the business port's upload guards on its router, ahead of the REST routes: the API key of a request
 * with a body (Authentication, so an unknown caller's upload is never read), the bytes-in-flight limit
 * (BytesInFlight), then the clean-up of upload part files and the 413 of a body that crossed the limit while being
 * read (UploadFileCleanup). Once, when the context has started. Also the port's handler of the exceptions Vert.x
 * leaves unhandled, which keeps a closed part file's second cancel out of the ERROR log (UnhandledVertxExceptions).
 */
public class UploadGuards extends BusinessRouterSetup {

    private final Authentication authentication;
    private final BytesInFlight bytesInFlight;
    private final long maxBodySize;

    public UploadGuards(int businessPort, Authentication authentication, BytesInFlight bytesInFlight, long maxBodySize) {
        super(businessPort);
        this.authentication = authentication;
        this.bytesInFlight = bytesInFlight;
        this.maxBodySize = maxBodySize;
    }

    @Override
    void install(Router router) {
        // Before any route reads a body: only known callers' bodies (with API keys set), then the in-flight count (and
        // the 413 of a body announced over the limit).
        UploadFileCleanup cleanup = new UploadFileCleanup(maxBodySize);
        router.route().order(Integer.MIN_VALUE + 1).handler(authentication.beforeTheBody()).handler(bytesInFlight)
                .handler(cleanup)
                .failureHandler(cleanup::overLimitFailure);
        if (router instanceof VertxPlatformHttpRouter vertxRouter) {
            UnhandledVertxExceptions.install(vertxRouter.vertx());
        }
    }
}
