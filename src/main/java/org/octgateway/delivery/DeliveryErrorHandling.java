package org.octgateway.delivery;

import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * How a webhook delivery fails ({@code delivery-errors}): any non-2xx answer (redirects included) or
 * no answer is retried with exponential backoff, re-signed each time, up to
 * {@code gateway.webhook.max-attempts}; what still fails goes to the dead-letter queue, never dropped.
 */
public class DeliveryErrorHandling extends RouteConfigurationBuilder {

    public static final String DELIVERY_ERRORS = "delivery-errors";

    @PropertyInject("gateway.webhook.max-attempts")
    int maxAttempts;
    @PropertyInject("gateway.webhook.retry-delay-ms")
    long retryDelayMs;
    @PropertyInject("gateway.webhook.max-retry-delay-ms")
    long maxRetryDelayMs;

    @Override
    public void configuration() {
        routeConfiguration(DELIVERY_ERRORS)
                .onException(Exception.class)
                    .maximumRedeliveries(Math.max(0, maxAttempts - 1))
                    .redeliveryDelay(retryDelayMs)
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .maximumRedeliveryDelay(maxRetryDelayMs)
                    .onRedeliveryRef("webhookResigner")
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logRetryStackTrace(false)
                    .logExhausted(false)
                    .handled(true)
                    .to("direct:dead-letter")
                .end();
    }
}
