package org.octgateway.operations;

import org.octgateway.job.Delivery;
import org.octgateway.job.MessageNames;
import org.octgateway.queue.BrokerCounts;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator actions on the dead-letter queue, exposed over JMX as
 * {@code org.octgateway:type=operations,name=deadLetters} (hawtio, Jolokia).
 */
public class DeadLetters implements DeadLettersMBean {

    public static final String OBJECT_NAME = "org.octgateway:type=operations,name=deadLetters";
    /** Artemis names the address a dead-lettered message came from in this property. */
    private static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final ConnectionFactory connectionFactory;
    private final BrokerCounts brokerCounts;
    private final String deadLetterQueue;
    private final String jobsQueue;
    private final String deliveryQueue;

    public DeadLetters(ConnectionFactory connectionFactory, BrokerCounts brokerCounts, String deadLetterQueue,
                       String jobsQueue, String deliveryQueue) {
        this.connectionFactory = connectionFactory;
        this.brokerCounts = brokerCounts;
        this.deadLetterQueue = deadLetterQueue;
        this.jobsQueue = jobsQueue;
        this.deliveryQueue = deliveryQueue;
    }

    @Override
    public long getCount() {
        return brokerCounts.messageCount(deadLetterQueue);
    }

    /**
     * Moves every dead letter back to where it failed: webhook deliveries to the delivery queue, jobs
     * the broker gave up on to the work queue. Each message moves in its own transaction, so a failure
     * half-way loses nothing.
     */
    @Override
    public int replayDeadLetters() throws JMSException {
        int replayed = 0;
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             // only what was dead-lettered before this replay: a replayed delivery that fails for good again while the
             // replay runs comes back with a later timestamp and waits for the next replay, instead of looping in this one
             MessageConsumer consumer = session.createConsumer(session.createQueue(deadLetterQueue),
                     "JMSTimestamp <= " + System.currentTimeMillis());
             MessageProducer producer = session.createProducer(null)) {
            connection.start();
            Message message;
            while ((message = consumer.receive(500)) != null) {
                String target = isDelivery(message) ? deliveryQueue : jobsQueue;
                String original = message.getStringProperty(ORIGINAL_ADDRESS);
                if (original != null && !original.isBlank()) {
                    target = original;
                }
                producer.send(session.createQueue(target), target.equals(deliveryQueue) ? freshDelivery(session, message) : message);
                session.commit();
                replayed++;
            }
        }
        LOG.info("Replayed {} dead letter(s)", replayed);
        return replayed;
    }

    /** A webhook delivery (as this version or an earlier one queued it), not a job. */
    private static boolean isDelivery(Message message) throws JMSException {
        return message.propertyExists(MessageNames.DELIVERY_PROPERTY) || message.propertyExists(MessageNames.LEGACY_WEBHOOK_URL);
    }

    /**
     * A replayed delivery starts again at attempt 1, now: only the envelope and its delivery are carried over, not
     * the attempt number or scheduled time of the delivery that failed (the broker dead-letters a delivery with both
     * when it had to roll it back too often). A dead letter of an earlier version becomes a delivery of this one.
     */
    private static Message freshDelivery(Session session, Message deadLetter) throws JMSException {
        Delivery delivery = deadLetter.propertyExists(MessageNames.DELIVERY_PROPERTY)
                ? Delivery.fromJson(deadLetter.getStringProperty(MessageNames.DELIVERY_PROPERTY))
                : new Delivery(deadLetter.getStringProperty(MessageNames.LEGACY_WEBHOOK_URL),
                        deadLetter.getStringProperty(MessageNames.LEGACY_REQUEST_UUID),
                        deadLetter.getStringProperty(MessageNames.LEGACY_EXAMINATION_ID), 1);
        Message fresh = session.createTextMessage(deadLetter.getBody(String.class));
        fresh.setStringProperty(MessageNames.DELIVERY_PROPERTY, delivery.firstAttempt().json());
        return fresh;
    }
}
