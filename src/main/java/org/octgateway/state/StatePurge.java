package org.octgateway.state;

import java.time.Duration;

/** Retention: records and exam rows older than gateway.db.retention-days go, and so do expired Idempotency-Keys. */
public class StatePurge {

    private final RequestStates requestStates;
    private final Idempotency idempotency;
    private final Duration retention;

    public StatePurge(RequestStates requestStates, Idempotency idempotency, Duration retention) {
        this.requestStates = requestStates;
        this.idempotency = idempotency;
        this.retention = retention;
    }

    /** Rows deleted. */
    public int purge() {
        return requestStates.purge(System.currentTimeMillis() - retention.toMillis()) + idempotency.purge();
    }
}
