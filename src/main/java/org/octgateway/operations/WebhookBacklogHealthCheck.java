package org.octgateway.operations;

import org.octgateway.queue.BrokerCounts;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * How many results wait for webhook delivery, and how many failed for good. Informational like
 * {@link InferenceServerHealthCheck}: a backlog over the threshold, or any dead letter, reports UNKNOWN
 * with the counts, never DOWN.
 */
public class WebhookBacklogHealthCheck extends InformationalHealthCheck {

    private final BrokerCounts brokerCounts;
    private final String deliveryQueue;
    private final String deadLetterQueue;
    private final long threshold;

    public WebhookBacklogHealthCheck(BrokerCounts brokerCounts, String deliveryQueue, String deadLetterQueue, long threshold) {
        super("webhook-backlog");
        this.brokerCounts = brokerCounts;
        this.deliveryQueue = deliveryQueue;
        this.deadLetterQueue = deadLetterQueue;
        this.threshold = threshold;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long backlog = brokerCounts.messageCount(deliveryQueue);
        long deadLetters = brokerCounts.messageCount(deadLetterQueue);
        builder.detail("pending_deliveries", backlog).detail("dead_letters", deadLetters).detail("threshold", threshold);
        if (backlog > threshold || deadLetters > 0) {
            builder.message(backlog + " deliveries pending, " + deadLetters + " in the dead-letter queue").unknown();
        } else {
            builder.up();
        }
    }
}
