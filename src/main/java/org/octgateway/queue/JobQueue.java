package org.octgateway.queue;

import org.octgateway.job.MessageNames;
import org.octgateway.job.Job;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.octgateway.contract.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts accepted jobs on the durable work queue. All jobs of one request are sent in one JMS
 * transaction: an exam folder is queued whole or not at all, and its thousand messages cost one
 * journal sync instead of a thousand.
 */
public class JobQueue {

    /**
     * Artemis: setting this property of a message being sent to an InputStream streams the body from it, in chunks,
     * as a large message kept in the broker's large-messages directory instead of its memory, whatever its size: its
     * own file and sync per message. The image never is one byte[] on the heap. Used for images of
     * {@link MessageNames#IN_MESSAGE_IMAGE_BYTES} and more.
     */
    static final String ARTEMIS_BODY_INPUT_STREAM = "JMS_AMQ_InputStream";

    private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);

    private final ConnectionFactory connectionFactory;
    private final QueueDestinations destinations;
    private final String queueName;
    private final ObjectMapper json;

    public JobQueue(ConnectionFactory connectionFactory, QueueDestinations destinations, String queueName, ObjectMapper json) {
        this.connectionFactory = connectionFactory;
        this.destinations = destinations;
        this.queueName = queueName;
        this.json = json;
    }

    /**
     * Queues every job durably, or none: when this returns, the jobs survive a crash.
     *
     * @param image the file holding the image of the jobs (an upload), streamed into each message; or null when
     *              the worker fetches the image
     * @param admission the room reserved for them, which gives each job its JMS priority
     * @throws ApiError 503 when the queue cannot take them
     */
    public void enqueue(List<Job> jobs, Path image, Admission admission) {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(destinations.resolveDestinationName(session, queueName, false))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            // a small image is written into each message: as a streamed large message every upload cost a file and
            // a disk sync of its own in the broker (~3 ms here), besides the journal commit
            byte[] smallImage = image != null && Files.size(image) < MessageNames.IN_MESSAGE_IMAGE_BYTES
                    ? Files.readAllBytes(image) : null;
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                BytesMessage message = session.createBytesMessage();
                message.setStringProperty(MessageNames.JOB_PROPERTY, json.writeValueAsString(job));
                message.setStringProperty(MessageNames.CALLER_PROPERTY, job.caller());
                int priority = admission.priority(i);
                if (image == null) {
                    producer.send(message, DeliveryMode.PERSISTENT, priority, Message.DEFAULT_TIME_TO_LIVE);
                } else if (smallImage != null) {
                    message.writeBytes(smallImage);
                    producer.send(message, DeliveryMode.PERSISTENT, priority, Message.DEFAULT_TIME_TO_LIVE);
                } else {
                    try (InputStream body = new BufferedInputStream(Files.newInputStream(image))) {
                        message.setObjectProperty(ARTEMIS_BODY_INPUT_STREAM, body);
                        // reads the stream to its end
                        producer.send(message, DeliveryMode.PERSISTENT, priority, Message.DEFAULT_TIME_TO_LIVE);
                    }
                }
            }
            session.commit();
        } catch (JMSException | RuntimeException | IOException e) {
            LOG.warn("Could not queue {} job(s): {}", jobs.size(), e.toString());
            throw ApiError.queueUnavailable();
        }
    }
}
