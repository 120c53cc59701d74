package org.octgateway.operations;

import org.octgateway.queue.QueueStats;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * How many results wait for webhook delivery, and how many failed for good. Informational like
 * {@link InferenceServerHealthCheck}: a backlog over the threshold, or any dead letter, reports UNKNOWN
 * with the counts, never DOWN.
 */
public class WebhookBacklogHealthCheck extends InformationalHealthCheck {

    private final QueueStats queueStats;
    private final String deliveryQueue;
    private final String deadLetterQueue;
    private final long threshold;

    public WebhookBacklogHealthCheck(QueueStats queueStats, String deliveryQueue, String deadLetterQueue, long threshold) {
        super("webhook-backlog");
        this.queueStats = queueStats;
        this.deliveryQueue = deliveryQueue;
        this.deadLetterQueue = deadLetterQueue;
        this.threshold = threshold;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long backlog = queueStats.depth(deliveryQueue);
        long deadLetters = queueStats.depth(deadLetterQueue);
        builder.detail("pending_deliveries", backlog).detail("dead_letters", deadLetters).detail("threshold", threshold);
        if (backlog > threshold || deadLetters > 0) {
            builder.message(backlog + " deliveries pending, " + deadLetters + " in the dead-letter queue").unknown();
        } else {
            builder.up();
        }
    }
}
