package org.octgateway.delivery;

import java.time.Duration;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.validation.WebhookAddressPolicy;

/** Webhook delivery: its signer, its retry decisions, and the guarded HTTP client every attempt goes through. */
public class DeliveryConfiguration implements CamelConfiguration {

    /** Signs webhook requests (routes/delivery.yaml) when gateway.webhook.secret is set. */
    @BindToRegistry
    public WebhookSigner webhookSigner(@PropertyInject("gateway.webhook.secret") String secret) {
        return new WebhookSigner(secret);
    }

    @BindToRegistry(lazy = true)
    public WebhookDelivery webhookDelivery(GatewayMetrics metrics,
            @PropertyInject("gateway.webhook.max-attempts") int maxAttempts,
            @PropertyInject("gateway.webhook.retry-schedule") String retrySchedule,
            @PropertyInject("gateway.webhook.max-retry-after-ms") long maxRetryAfterMs) {
        return new WebhookDelivery(metrics, maxAttempts,
                RetrySchedule.parse(retrySchedule, Duration.ofMillis(maxRetryAfterMs)));
    }

    @BindToRegistry(lazy = true)
    public WebhookHttpClient webhookHttpClient(WebhookAddressPolicy webhookAddressPolicy,
            @PropertyInject("gateway.webhook.timeout-ms") long timeoutMs,
            @PropertyInject("gateway.webhook.max-response-bytes") int maxResponseBytes,
            @PropertyInject("gateway.webhook.per-host-concurrency") int perHostConcurrency,
            @PropertyInject("gateway.webhook.concurrency") int concurrency) {
        return new WebhookHttpClient(webhookAddressPolicy, Duration.ofMillis(timeoutMs), maxResponseBytes,
                perHostConcurrency, concurrency);
    }
}
