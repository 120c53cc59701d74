package org.octgateway.demo;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.octgateway.api.ApiError;
import org.octgateway.api.ErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo peers served by the gateway itself when {@code gateway.demo.enabled=true}, so the default
 * configuration runs end to end on one machine: a stand-in inference server and a webhook sink.
 */
public class DemoRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRoutes.class);

    @PropertyInject(value = "gateway.demo.enabled", defaultValue = "false")
    boolean enabled;

    @Override
    public void configure() {
        if (!enabled) {
            return;
        }
        LOG.warn("Demo peers are on (gateway.demo.enabled=true): a stand-in inference server and a webhook sink at /demo, "
                + "answering this machine only. Turn them off for real deployments.");
        rest("/demo").id("demo-api").apiDocs(false)
                .post("/inference").id("demo-inference-api").to("direct:demo-inference")
                .post("/webhook").id("demo-webhook-api").to("direct:demo-webhook-receive")
                .get("/webhook").id("demo-webhook-list-api").to("direct:demo-webhook-list");

        // The sink keeps results: only this machine may reach the demo peers, even if the setting is left on.
        from("direct:demo-inference").routeId("demo-inference")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .process(DemoRoutes::requireLoopbackCaller)
                .bean("demoImageFacts", "describe");
        from("direct:demo-webhook-receive").routeId("demo-webhook-receive")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .process(DemoRoutes::requireLoopbackCaller)
                .bean("demoWebhookSink", "receive");
        from("direct:demo-webhook-list").routeId("demo-webhook-list")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .process(DemoRoutes::requireLoopbackCaller)
                .bean("demoWebhookSink", "list");
    }

    /**
     * Only a caller on this machine, asking for this machine by name: a loopback peer address alone is not
     * enough, because a reverse proxy on the same host (or a page that rebinds a DNS name to 127.0.0.1)
     * reaches the gateway from loopback too. Proxies say so in Forwarded / X-Forwarded-For, rebinding
     * pages in Host.
     */
    static void requireLoopbackCaller(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        String host = remote instanceof SocketAddress address ? address.hostAddress() : null;
        boolean proxied = exchange.getMessage().getHeader("Forwarded") != null
                || exchange.getMessage().getHeader("X-Forwarded-For") != null;
        if (!isLoopback(host) || proxied || !isLoopbackName(exchange.getMessage().getHeader("Host", String.class))) {
            throw new ApiError(403, "demo_local_only", "The demo peers answer only this machine.");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The Host header without its port: localhost or a loopback address literal. */
    private static boolean isLoopbackName(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String name = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("[")) {
            name = name.substring(1, Math.max(1, name.indexOf(']')));
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}") || name.equals("::1");
    }
}
