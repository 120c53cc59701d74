package org.octgateway.queue;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Counts of the job queue, asked of the Artemis broker itself: the embedded broker's queue control directly, an
 * external broker through its management address. The message count is a counter the broker keeps (cheap, no
 * browse); counting by a message property walks the queue once on the broker's side (at startup and now and then).
 * An external broker must let the gateway's user send to the management address ('manage' permission).
 */
public class BrokerCounts {

    /** Artemis' default management address. */
    static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final long REPLY_TIMEOUT_MS = 5000;

    private final EmbeddedBroker embeddedBroker;
    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final ObjectMapper json;

    /**
     * @param embeddedBroker    the embedded broker, asked directly (a management round trip costs milliseconds per
     *                          request); null to ask the broker behind {@code connectionFactory} by management messages
     */
    public BrokerCounts(EmbeddedBroker embeddedBroker, ConnectionFactory connectionFactory, String queueName, ObjectMapper json) {
        this.embeddedBroker = embeddedBroker;
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        this.json = json;
    }

    /** Messages in the job queue (waiting and being delivered); -1 when the broker cannot say. */
    public long messageCount() {
        try {
            if (embeddedBroker != null) {
                QueueControl queue = embeddedQueue();
                return queue == null ? -1 : queue.getMessageCount();
            }
            Object result = ask(message -> JMSManagementHelper.putAttribute(message, ResourceNames.QUEUE + queueName, "messageCount"));
            return result instanceof Number number ? number.longValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Messages in the job queue per value of {@code property} (messages without it are not counted); null when unknown. */
    public Map<String, Long> countBy(String property) {
        String filter = property + " IS NOT NULL";
        try {
            Object result;
            if (embeddedBroker != null) {
                QueueControl queue = embeddedQueue();
                result = queue == null ? null : queue.countMessages(filter, property);
            } else {
                result = ask(message -> JMSManagementHelper.putOperationInvocation(message, ResourceNames.QUEUE + queueName,
                        "countMessages", filter, property));
            }
            if (result == null) {
                return null;
            }
            Map<String, Long> counts = new HashMap<>();
            JsonNode byValue = json.readTree(result.toString());
            byValue.fields().forEachRemaining(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
            return counts;
        } catch (Exception e) {
            return null;
        }
    }

    /** The embedded broker's control of the job queue; null while the broker is down or the queue not created yet. */
    private QueueControl embeddedQueue() {
        if (!embeddedBroker.isActive()) {
            return null;
        }
        return (QueueControl) embeddedBroker.server().getActiveMQServer().getManagementService()
                .getResource(ResourceNames.QUEUE + queueName);
    }

    private interface Request {
        void fill(Message message) throws Exception;
    }

    /** One management request and its reply; null when the queue does not exist yet or the broker refused. */
    private Object ask(Request request) throws Exception {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            TemporaryQueue replyTo = session.createTemporaryQueue();
            try (MessageProducer producer = session.createProducer(session.createQueue(MANAGEMENT_ADDRESS));
                 MessageConsumer replies = session.createConsumer(replyTo)) {
                Message message = session.createMessage();
                request.fill(message);
                message.setJMSReplyTo(replyTo);
                producer.send(message);
                Message reply = replies.receive(REPLY_TIMEOUT_MS);
                if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
                    return null;
                }
                return JMSManagementHelper.getResult(reply);
            } finally {
                replyTo.delete();
            }
        }
    }
}
