package org.octgateway;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Browses (does not consume) the dead-letter queue of the running embedded broker. */
final class DeadLetterBrowser {

    private DeadLetterBrowser() {
    }

    /** The dead letter of {@code requestUuid} (the requestUuid of its GatewayDelivery property), if there is one. */
    static Optional<Message> deadLetter(String requestUuid) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
             Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue("gateway.dead-letters"))) {
                var messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    Message message = (Message) messages.nextElement();
                    if (requestUuid.equals(delivery(message).path("requestUuid").asText())) {
                        return Optional.of(message);
                    }
                }
            } catch (InvalidDestinationException noDeadLetterYet) {
                // the broker creates the queue with its first message
            }
        }
        return Optional.empty();
    }

    /** A queued or dead-lettered message's delivery: its GatewayDelivery property (webhookUrl, requestUuid, attempt). */
    static JsonNode delivery(Message message) throws Exception {
        String delivery = message.getStringProperty("GatewayDelivery");
        return delivery == null ? MissingNode.getInstance() : new ObjectMapper().readTree(delivery);
    }
}
