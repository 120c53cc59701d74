package org.octgateway.api;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Builds camel-main's business HTTP server ({@code camel.server.*}) as a {@link BusinessHttpServer}, with the
 * gateway's limits ({@link HttpServerLimits}); the management server stays Camel's. camel-main takes the
 * {@code MainHttpServerFactory} found in the registry, and binds {@code camel.beans.*} beans before it looks:
 * application.properties binds this one there.
 */
public class BusinessHttpServerFactory extends DefaultMainHttpServerFactory {

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        MainHttpServer configured = (MainHttpServer) super.newHttpServer(camelContext, configuration);
        BusinessMainHttpServer server = new BusinessMainHttpServer(HttpServerLimits.read(camelContext));
        server.setCamelContext(camelContext);
        server.setConfiguration(configured.getConfiguration());
        server.setStaticEnabled(configured.isStaticEnabled());
        server.setStaticContextPath(configured.getStaticContextPath());
        server.setStaticSourceDir(configured.getStaticSourceDir());
        return server;
    }

    /** camel-main's HTTP server service (startup summary, dev console), running a {@link BusinessHttpServer}. */
    static final class BusinessMainHttpServer extends MainHttpServer {

        private final HttpServerLimits limits;
        private BusinessHttpServer server;

        BusinessMainHttpServer(HttpServerLimits limits) {
            this.limits = limits;
        }

        @Override
        protected void doInit() throws Exception {
            server = new BusinessHttpServer(getConfiguration(), limits);
            // as MainHttpServer does: the context stops the server
            getCamelContext().addService(server);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(server);
            super.doStart();
        }
    }
}
