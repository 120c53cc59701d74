package org.octgateway.queue;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.octgateway.api.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts accepted jobs on the durable work queue. All jobs of one request are sent in one JMS
 * transaction: an exam folder is queued whole or not at all, and its thousand messages cost one
 * journal sync instead of a thousand.
 */
public class JobQueue {

    /** The JMS property that carries the job as JSON (the body carries the image bytes, if any). */
    public static final String JOB_PROPERTY = "GatewayJob";
    /** The JMS property that carries the caller's name: the broker counts each caller's backlog by it. */
    public static final String CALLER_PROPERTY = "GatewayCaller";

    private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);

    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final ObjectMapper json;

    public JobQueue(ConnectionFactory connectionFactory, String queueName, ObjectMapper json) {
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        this.json = json;
    }

    /**
     * Queues every job durably, or none: when this returns, the jobs survive a crash.
     *
     * @param image the image bytes shared by the jobs (an upload), or null when the worker fetches them
     * @param admission the room reserved for them, which gives each job its JMS priority
     * @throws ApiError 503 when the queue cannot take them
     */
    public void enqueue(List<Job> jobs, byte[] image, Admission admission) {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(session.createQueue(queueName))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                BytesMessage message = session.createBytesMessage();
                message.setStringProperty(JOB_PROPERTY, json.writeValueAsString(job));
                message.setStringProperty(CALLER_PROPERTY, job.caller());
                if (image != null) {
                    message.writeBytes(image);
                }
                producer.send(message, DeliveryMode.PERSISTENT, admission.priority(i), Message.DEFAULT_TIME_TO_LIVE);
            }
            session.commit();
        } catch (JMSException | RuntimeException | JsonProcessingException e) {
            LOG.warn("Could not queue {} job(s): {}", jobs.size(), e.toString());
            throw ApiError.queueUnavailable();
        }
    }
}
