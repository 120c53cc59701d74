package org.octgateway.queue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.SessionProxy;

/**
 * The one shared connection with its cached sessions, for the routes and the job queue, which hands out a session
 * only with no doomed transaction in it.
 * <p>
 * Why: a route's listener stopped while it waits for a job (a live reload, a route stopped over JMX) has its thread
 * interrupted by Spring, and Artemis marks the listener's session rollback-only on an interrupted receive. The listener
 * committed its last job, so the cache takes the session back without a rollback, and the next commit on it, whoever
 * takes it, fails with AMQ219030 "rolled back on failover": an upload refused with 503, or a job redelivered. A
 * rollback here ends that transaction (it held no work: the receive took nothing) and clears the mark.
 */
class SessionCache extends CachingConnectionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCache.class);

    private final QueueHealth health;

    /** @param health told when the shared connection reconnects by itself and when it is back */
    SessionCache(ConnectionFactory brokerConnections, QueueHealth health) {
        super(brokerConnections);
        this.health = health;
    }

    /** The shared connection, new or renewed: it is up, and its reconnections are reported to QueueHealth. */
    @Override
    protected void prepareConnection(Connection connection) throws JMSException {
        super.prepareConnection(connection);
        if (connection instanceof ActiveMQConnection artemis) {
            artemis.setFailoverListener(event -> health.jobConnectionUp(event == FailoverEventType.FAILOVER_COMPLETED));
            health.jobConnectionUp(true);
        }
    }

    @Override
    protected Session getSession(Connection connection, Integer mode) throws JMSException {
        Session session = super.getSession(connection, mode);
        // asked of the target, not through the cache's reflective proxy: this runs for every session handed out
        if (session instanceof SessionProxy proxy && proxy.getTargetSession() instanceof ActiveMQSession target
                && target.getTransacted() && target.getCoreSession().isRollbackOnly()) {
            LOG.debug("Rolling back a cached session left rollback-only (its listener was interrupted)");
            session.rollback();
        }
        return session;
    }
}
