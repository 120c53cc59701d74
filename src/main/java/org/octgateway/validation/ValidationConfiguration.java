package org.octgateway.validation;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** Request validation and the SSRF guard it shares with delivery. */
public class ValidationConfiguration implements CamelConfiguration {

    /**
     * The SSRF guard: asked when a request is accepted and again for every address a webhook is connected to.
     * With the demo on, loopback on the business port is allowed too (the demo's own /demo/webhook sink).
     */
    @BindToRegistry
    public WebhookAddressPolicy webhookAddressPolicy(
            @PropertyInject("gateway.webhook.allowed-hosts") String allowedHosts,
            @PropertyInject("gateway.webhook.allowed-subnets") String allowedSubnets,
            @PropertyInject("gateway.demo.enabled") boolean demoEnabled,
            @PropertyInject("camel.server.port") int businessPort) {
        return new WebhookAddressPolicy(allowedHosts, allowedSubnets, demoEnabled ? businessPort : -1);
    }

    @BindToRegistry(lazy = true)
    public RequestValidator requestValidator(WebhookAddressPolicy webhookAddressPolicy) {
        return new RequestValidator(webhookAddressPolicy);
    }
}
