package org.octgateway.operations;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.octgateway.queue.QueueHealth;

/** Readiness: the gateway can accept work (the job queue is reachable and it is not shutting down). */
public class JobQueueHealthCheck extends AbstractHealthCheck {

    private final QueueHealth queueHealth;

    public JobQueueHealthCheck(QueueHealth queueHealth) {
        super("gateway", "job-queue");
        this.queueHealth = queueHealth;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (queueHealth.canAcceptWork()) {
            builder.up();
        } else {
            builder.message("the job queue is unavailable or the gateway is shutting down").down();
        }
    }
}
