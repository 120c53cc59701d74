package org.octgateway.queue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.JMSException;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.octgateway.contract.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the gateway can accept work: the job queue is reachable and the gateway is not shutting down.
 * Backs {@code GET /ping} and the readiness check, which answer from state kept here and never wait for the broker:
 * the embedded broker is asked in-process; an external broker is watched through one connection of its own, whose
 * listeners say when it fails, fails over or comes back ({@code FailoverEventListener} when the URL reconnects by
 * itself, {@code ExceptionListener} when it gives up, after which a new connection is tried every second).
 */
public class QueueHealth extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(QueueHealth.class);
    private static final long RECONNECT_PAUSE_MS = 1000;

    private final EmbeddedBroker embeddedBroker;
    private final ActiveMQConnectionFactory externalBroker;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final AtomicBoolean externalReachable = new AtomicBoolean();
    private final AtomicBoolean jobConnectionUp = new AtomicBoolean(true);
    private volatile ExecutorService watcher;
    private volatile ActiveMQConnection watchConnection;

    /**
     * @param embeddedBroker the embedded broker, asked directly; null with an external broker
     * @param externalBroker a connection factory of the external broker's for the watch connection alone (its failure
     *                       check set for it); closed when this service stops. Ignored with an embedded broker
     */
    public QueueHealth(EmbeddedBroker embeddedBroker, ActiveMQConnectionFactory externalBroker) {
        this.embeddedBroker = embeddedBroker;
        this.externalBroker = externalBroker;
    }

    public boolean canAcceptWork() {
        return !shuttingDown.get() && brokerReachable();
    }

    /**
     * Whether the broker answers now, as last seen by its connections' listeners: never waits. An external broker
     * must answer the watch connection, and the shared job connection must not be reconnecting: after a broker
     * restart that one can wait Artemis's call timeout (30 s) on a reconnect that met the broker still starting, while
     * the watch, with its own short timeout, is back already; work queued meanwhile would wait with it.
     */
    public boolean brokerReachable() {
        return embeddedBroker != null ? embeddedBroker.isActive() : externalReachable.get() && jobConnectionUp.get();
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

    @Override
    protected void doStart() {
        if (embeddedBroker == null) {
            watcher = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "broker-watch");
                thread.setDaemon(true);
                return thread;
            });
            watcher.execute(this::watch);
        }
    }

    @Override
    protected void doStop() {
        if (watcher != null) {
            watcher.shutdownNow();
            // closing a connection that is reconnecting to a broker that is gone can wait for its reconnect attempts:
            // not on the shutdown's thread
            Thread closing = new Thread(() -> {
                closeWatchConnection();
                externalBroker.close();
            }, "broker-watch-close");
            closing.setDaemon(true);
            closing.start();
        }
    }

    /** Connects the watch connection, again and again while the broker cannot be reached. */
    private void watch() {
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                ActiveMQConnection connection = (ActiveMQConnection) externalBroker.createConnection();
                connection.setFailoverListener(this::failoverEvent);
                connection.setExceptionListener(this::connectionLost);
                connection.start();
                watchConnection = connection;
                reachable(true);
                return;
            } catch (JMSException | RuntimeException e) {
                reachable(false);
                try {
                    TimeUnit.MILLISECONDS.sleep(RECONNECT_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** The connection's own reconnection (reconnectAttempts, ha=true): down when it starts, up when it succeeds. */
    private void failoverEvent(FailoverEventType event) {
        reachable(event == FailoverEventType.FAILOVER_COMPLETED);
    }

    /**
     * The shared job connection: down while it reconnects by itself (reconnectAttempts in the URL), up when it has
     * reconnected or a new connection replaces it (SessionCache reports both).
     */
    public void jobConnectionUp(boolean up) {
        changed(jobConnectionUp, up, "The job connection to the broker is back",
                "The job connection to the broker is reconnecting: /ping and readiness answer 503 until it is back");
    }

    /**
     * The connection gave up (no or no more reconnect attempts): connect anew until the broker is back. Artemis calls
     * this also once a reconnect has succeeded (error code FAILOVER), after FAILOVER_COMPLETED: nothing is lost then,
     * and acting on it would log a false outage and drop the connection that just came back.
     */
    private void connectionLost(JMSException cause) {
        if (ActiveMQConnection.EXCEPTION_FAILOVER.equals(cause.getErrorCode())) {
            return;
        }
        reachable(false);
        closeWatchConnection();
        ExecutorService executor = watcher;
        if (executor != null && !executor.isShutdown() && isRunAllowed()) {
            executor.execute(this::watch);
        }
    }

    private void reachable(boolean now) {
        changed(externalReachable, now, "The broker is reachable: accepting work",
                "The broker is unreachable: /ping and readiness answer 503 until it is back");
    }

    /** Sets {@code state} to {@code now}, and logs the change, if it is one: INFO when up, WARN when down. */
    private static void changed(AtomicBoolean state, boolean now, String whenUp, String whenDown) {
        if (state.getAndSet(now) != now) {
            if (now) {
                LOG.info(whenUp);
            } else {
                LOG.warn(whenDown);
            }
        }
    }

    private void closeWatchConnection() {
        ActiveMQConnection connection = watchConnection;
        watchConnection = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException ignored) {
                // the connection is gone already: nothing to release
            }
        }
    }
}
