package org.octgateway.delivery;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * How a webhook delivery fails ({@code delivery-errors}): any non-2xx answer (redirects included) or no
 * answer rolls the delivery back, and the broker redelivers it after an exponential backoff (the delivery
 * queue's redelivery settings: the embedded broker takes them from gateway.webhook.retry-delay-ms and
 * max-retry-delay-ms). The consumer is free meanwhile, so one webhook that is down delays no one else's
 * results. The last attempt allowed by {@code gateway.webhook.max-attempts} goes to the dead-letter queue
 * with its reason, never dropped.
 */
public class DeliveryErrorHandling extends RouteConfigurationBuilder {

    public static final String DELIVERY_ERRORS = "delivery-errors";

    @Override
    public void configuration() {
        routeConfiguration(DELIVERY_ERRORS)
                .onException(Exception.class)
                    .handled(true)
                    .choice()
                        .when(method("webhookDelivery", "isLastAttempt"))
                            .to("direct:dead-letter")
                        .otherwise()
                            .bean("webhookDelivery", "willRetry")
                            .markRollbackOnly()
                    .end()
                .end();
    }
}
