package org.octgateway.api;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine, pinned to the business port ({@code camel.server.port}).
 * <p>
 * Camel 4.17's {@link VertxPlatformHttpEngine} finds the port its REST consumers attach to by looking
 * for the <em>single</em> Vert.x HTTP server in the registry; with the management server running on its
 * own port there are two, so it falls back to 8080 and startup fails ("No PlatformHttpEngine created and
 * setup in registry with name: platform-http-router-8080") whenever {@code camel.server.port} is not 8080.
 */
public class BusinessPortHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public BusinessPortHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
