package org.octgateway.operations;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check that shows in the full health output but never decides liveness or readiness: it reports UP
 * or UNKNOWN with details, never DOWN, because the gateway keeps accepting work while it is not UP
 * (jobs and deliveries wait in the queue: that is what the queue is for).
 */
abstract class InformationalHealthCheck extends AbstractHealthCheck {

    InformationalHealthCheck(String id) {
        super("gateway", id);
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }
}
