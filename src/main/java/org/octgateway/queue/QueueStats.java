package org.octgateway.queue;

import java.util.Enumeration;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.octgateway.queue.EmbeddedBroker;

/**
 * Depth and age of the gateway's queues, for metrics and health: read from the embedded broker
 * directly, or by browsing (at most {@link #BROWSE_LIMIT} messages) on an external one.
 */
public class QueueStats {

    static final int BROWSE_LIMIT = 100_000;

    private final EmbeddedBroker broker;
    private final ConnectionFactory connectionFactory;

    /** @param broker the embedded broker, or null when an external broker is used */
    public QueueStats(EmbeddedBroker broker, ConnectionFactory connectionFactory) {
        this.broker = broker;
        this.connectionFactory = connectionFactory;
    }

    /** Messages waiting in {@code queueName}; -1 when the broker cannot be asked. */
    public long depth(String queueName) {
        if (broker != null) {
            Queue queue = localQueue(queueName);
            return queue == null ? 0 : queue.getMessageCount();
        }
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queueName))) {
            connection.start();
            long count = 0;
            for (Enumeration<?> messages = browser.getEnumeration(); messages.hasMoreElements() && count < BROWSE_LIMIT; ) {
                messages.nextElement();
                count++;
            }
            return count;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Age in seconds of the oldest message waiting in {@code queueName}; 0 when it is empty. */
    public double oldestAgeSeconds(String queueName) {
        long timestamp = 0;
        if (broker != null) {
            Queue queue = localQueue(queueName);
            if (queue != null) {
                try (LinkedListIterator<MessageReference> messages = queue.browserIterator()) {
                    if (messages.hasNext()) {
                        timestamp = messages.next().getMessage().getTimestamp();
                    }
                }
            }
        } else {
            try (Connection connection = connectionFactory.createConnection();
                 Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = session.createBrowser(session.createQueue(queueName))) {
                connection.start();
                Enumeration<?> messages = browser.getEnumeration();
                if (messages.hasMoreElements()) {
                    timestamp = ((Message) messages.nextElement()).getJMSTimestamp();
                }
            } catch (Exception e) {
                return -1;
            }
        }
        return timestamp <= 0 ? 0 : Math.max(0, (System.currentTimeMillis() - timestamp) / 1000.0);
    }

    private Queue localQueue(String queueName) {
        if (!broker.isActive()) {
            return null;
        }
        return broker.server().getActiveMQServer().locateQueue(SimpleString.of(queueName));
    }
}
