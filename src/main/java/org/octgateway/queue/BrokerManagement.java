package org.octgateway.queue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Questions to an external Artemis broker through its management address (core management messages over JMS):
 * a request with a reply queue, answered by the broker itself. The gateway's user needs the 'manage' permission
 * on {@value #MANAGEMENT_ADDRESS} (deploy/broker.xml grants it).
 */
final class BrokerManagement {

    /** Artemis' default management address. */
    static final String MANAGEMENT_ADDRESS = "activemq.management";

    /** Fills in one management request: an attribute to read or an operation to invoke. */
    interface Request {
        void fill(Message message) throws Exception;
    }

    private final ConnectionFactory connectionFactory;

    BrokerManagement(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** The broker did not answer within the timeout. */
    static final class NoReply extends Exception {
        NoReply(long timeoutMs) {
            super("the broker did not answer a management request within " + timeoutMs + " ms");
        }
    }

    /**
     * One request and its reply, waited for at most {@code replyTimeoutMs}; null when the resource does not exist
     * (yet) or the operation failed.
     *
     * @throws NoReply when no reply came in time
     */
    Object ask(Request request, long replyTimeoutMs) throws Exception {
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
                Message reply = replies.receive(replyTimeoutMs);
                if (reply == null) {
                    throw new NoReply(replyTimeoutMs);
                }
                if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                    return null;
                }
                return JMSManagementHelper.getResult(reply);
            } finally {
                replyTo.delete();
            }
        }
    }
}
