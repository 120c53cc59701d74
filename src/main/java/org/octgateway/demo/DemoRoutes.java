package org.octgateway.demo;

import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The demo peers served by the gateway itself when {@code gateway.demo.enabled=true}, so the default
 * configuration runs end to end on one machine: a stand-in inference server and a webhook sink.
 */
public class DemoRoutes extends RouteBuilder {

    @PropertyInject(value = "gateway.demo.enabled", defaultValue = "false")
    boolean enabled;

    @Override
    public void configure() {
        if (!enabled) {
            return;
        }
        rest("/demo").id("demo-api").apiDocs(false)
                .post("/inference").id("demo-inference-api").to("direct:demo-inference")
                .post("/webhook").id("demo-webhook-api").to("direct:demo-webhook-receive")
                .get("/webhook").id("demo-webhook-list-api").to("direct:demo-webhook-list");

        from("direct:demo-inference").routeId("demo-inference")
                .bean("demoImageFacts", "describe");
        from("direct:demo-webhook-receive").routeId("demo-webhook-receive")
                .bean("demoWebhookSink", "receive");
        from("direct:demo-webhook-list").routeId("demo-webhook-list")
                .bean("demoWebhookSink", "list");
    }
}
