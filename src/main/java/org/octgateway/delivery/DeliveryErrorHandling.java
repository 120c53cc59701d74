package org.octgateway.delivery;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * How a webhook attempt fails ({@code delivery-errors}). Every outcome commits the consumed message, so no
 * consumer waits for a retry:
 * <ul>
 * <li>the host is at its per-host limit ({@link WebhookHostBusy}): the delivery goes back to the queue for about
 * a second, not counted as an attempt;</li>
 * <li>a 410 Gone, an address the gateway may not call, or the last attempt of gateway.webhook.max-attempts: the
 * dead-letter queue, with its reason;</li>
 * <li>anything else (non-2xx, no answer within the deadline, refused connection): the delivery goes back to the
 * queue, scheduled for the next attempt by gateway.webhook.retry-schedule or the webhook's Retry-After.</li>
 * </ul>
 * Should the re-queueing itself fail, the transaction rolls back and the broker redelivers the same attempt.
 */
public class DeliveryErrorHandling extends RouteConfigurationBuilder {

    public static final String DELIVERY_ERRORS = "delivery-errors";
    private static final String DELIVERY_QUEUE = "jms:queue:{{gateway.queue.deliveries}}";

    @Override
    public void configuration() {
        routeConfiguration(DELIVERY_ERRORS)
                .onException(WebhookHostBusy.class)
                    .handled(true)
                    .bean("webhookDelivery", "postponeForBusyHost")
                    .to(DELIVERY_QUEUE)
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .choice()
                        .when(method("webhookDelivery", "failsForGood"))
                            .to("direct:dead-letter")
                        .otherwise()
                            .bean("webhookDelivery", "retryLater")
                            .to(DELIVERY_QUEUE)
                    .end()
                .end();
    }
}
