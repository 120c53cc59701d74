package org.octgateway.delivery;

import java.io.IOException;

/**
 * The webhook's host already has as many deliveries under way as it may (gateway.webhook.per-host-concurrency).
 * Not a failed attempt: the delivery goes back to the queue for a moment and does not count against max-attempts.
 */
public class WebhookHostBusy extends IOException {

    public WebhookHostBusy(int limit) {
        super(limit + " deliveries to this host are already under way");
    }
}
