package org.octgateway.queue;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.octgateway.contract.ApiError;

/**
 * Whether the gateway can accept work: the job queue is reachable and the gateway is not shutting down.
 * Backs {@code GET /ping} and the readiness check.
 */
public class QueueHealth {

    private final EmbeddedBroker embeddedBroker;
    private final ConnectionFactory probeConnectionFactory;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    /**
     * @param embeddedBroker         the embedded broker, asked directly; null with an external broker
     * @param probeConnectionFactory a non-caching factory for an external broker, so a probe really connects
     */
    public QueueHealth(EmbeddedBroker embeddedBroker, ConnectionFactory probeConnectionFactory) {
        this.embeddedBroker = embeddedBroker;
        this.probeConnectionFactory = probeConnectionFactory;
    }

    public boolean canAcceptWork() {
        if (shuttingDown.get()) {
            return false;
        }
        if (embeddedBroker != null) {
            return embeddedBroker.isActive();
        }
        try (Connection connection = probeConnectionFactory.createConnection()) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    public void shuttingDown() {
        shuttingDown.set(true);
    }

    /** /ping: nothing to answer while the gateway can accept work, else 503 {@code queue_unavailable}. */
    public void requireAcceptingWork() {
        if (!canAcceptWork()) {
            throw new ApiError(503, "queue_unavailable",
                    shuttingDown.get() ? "The gateway is shutting down." : "The job queue is unavailable.");
        }
    }
}
