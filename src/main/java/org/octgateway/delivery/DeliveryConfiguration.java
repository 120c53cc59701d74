package org.octgateway.delivery;

import java.time.Duration;
import java.util.function.Function;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.PropertyInject;
import org.octgateway.job.BeanSteps;
import org.octgateway.job.Delivery;
import org.octgateway.job.MessageNames;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.queue.ConsumerThreads;
import org.octgateway.state.RequestStates;
import org.octgateway.validation.WebhookAddressPolicy;

/** Webhook delivery: its signer, its retry decisions, and the guarded HTTP client every attempt goes through. */
public class DeliveryConfiguration implements CamelConfiguration {

    /** The deliver-webhook route's consumer threads, below the HTTP threads' priority (queue/ConsumerThreads). */
    @BindToRegistry(lazy = true)
    public ConsumerThreads deliveryThreads(@PropertyInject("gateway.queue.consumer-nice") int nice) {
        return new ConsumerThreads("deliver-webhook", nice);
    }

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

    // What routes/delivery.yaml reads on every attempt, as expressions it names with `ref:` (typed calls, see
    // job/BeanSteps: as `method:` steps and ${exchangeProperty.delivery.webhookUrl} each copied the exchange).

    /** The delivery the queued message is for (WebhookDelivery.received). */
    @BindToRegistry
    public Expression receivedDelivery() {
        return BeanSteps.value("webhookDelivery", WebhookDelivery.class, (delivery, exchange) -> {
            Message queued = exchange.getMessage();
            return delivery.received(queued.getHeader(MessageNames.DELIVERY_PROPERTY, String.class),
                    queued.getHeader(MessageNames.LEGACY_WEBHOOK_URL, String.class),
                    queued.getHeader(MessageNames.LEGACY_REQUEST_UUID, String.class),
                    queued.getHeader(MessageNames.LEGACY_EXAMINATION_ID, String.class),
                    queued.getHeader(MessageNames.LEGACY_ATTEMPT, Integer.class));
        });
    }

    /** The delivery's webhook URL. */
    @BindToRegistry
    public Expression deliveryWebhookUrl() {
        return ofDelivery(Delivery::webhookUrl);
    }

    /** The delivery's request_uuid (the webhook-id). */
    @BindToRegistry
    public Expression deliveryRequestUuid() {
        return ofDelivery(Delivery::requestUuid);
    }

    /** The attempt's webhook-timestamp (WebhookSigner.timestamp). */
    @BindToRegistry
    public Expression webhookTimestamp() {
        return BeanSteps.value("webhookSigner", WebhookSigner.class, (signer, exchange) -> signer.timestamp());
    }

    /** Whether webhook requests are signed (WebhookSigner.isEnabled). */
    @BindToRegistry
    public Predicate webhookSigningEnabled() {
        Expression enabled = BeanSteps.value("webhookSigner", WebhookSigner.class, (signer, exchange) -> signer.isEnabled());
        return exchange -> Boolean.TRUE.equals(enabled.evaluate(exchange, Object.class));
    }

    /** The webhook took the envelope: its record says delivered; whether its exam may be complete (RequestStates.delivered). */
    @BindToRegistry
    public Expression recordedAsDelivered() {
        return BeanSteps.value("requestStates", RequestStates.class, (states, exchange) -> states.delivered(delivery(exchange)));
    }

    private static Expression ofDelivery(Function<Delivery, Object> value) {
        return BeanSteps.ofProperty(MessageNames.DELIVERY, Delivery.class, value);
    }

    /** The delivery of the attempt (exchange property {@value MessageNames#DELIVERY}). */
    private static Delivery delivery(Exchange exchange) {
        return exchange.getProperty(MessageNames.DELIVERY, Delivery.class);
    }
}
