package org.octgateway.demo;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.octgateway.contract.ApiError;
import org.octgateway.api.ErrorResponses;
import org.octgateway.operations.ManagementExposure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo peers served by the gateway itself when {@code gateway.demo.enabled=true}, so the default
 * configuration runs end to end on one machine: a stand-in inference server and a webhook sink.
 */
public class DemoRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRoutes.class);

    @PropertyInject("gateway.demo.enabled")
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
                .bean("demoImageFacts", "describe")
                .removeHeaders("*") // the request's headers are not answered back
                .choice().when(simple("${body.image} == false"))
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(415))
                .end()
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
        from("direct:demo-webhook-receive").routeId("demo-webhook-receive")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .process(DemoRoutes::requireLoopbackCaller)
                .bean("demoWebhookSink", "receive")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(204))
                .setBody(constant(""));
        from("direct:demo-webhook-list").routeId("demo-webhook-list")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .process(DemoRoutes::requireLoopbackCaller)
                .bean("demoWebhookSink", "list")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
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
        if (host == null || !ManagementExposure.isLoopback(host) || proxied
                || !ManagementExposure.isLoopback(withoutPort(exchange.getMessage().getHeader("Host", String.class)))) {
            throw new ApiError(403, "demo_local_only", "The demo peers answer only this machine.");
        }
    }

    /** The name of a Host header, without its port ("[::1]:8080" → "[::1]"); "" without a header. */
    private static String withoutPort(String hostHeader) {
        String host = hostHeader == null ? "" : hostHeader.trim();
        if (host.startsWith("[")) {
            return host.substring(0, host.indexOf(']') + 1); // "" when unclosed: not loopback
        }
        int colon = host.indexOf(':');
        return colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
    }
}
