package org.octgateway.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.springframework.jms.support.destination.DestinationResolver;
import org.springframework.jms.support.destination.DynamicDestinationResolver;

/**
 * The gateway's queues by name, each looked up once. Artemis's {@code Session.createQueue} asks the broker whether
 * the queue exists, a blocking round trip, and Spring's default resolver called it for every message the routes
 * sent (the job queue did the same for every upload). The queues are created when the gateway starts (the embedded
 * broker's contract, or the external broker's address settings, which BrokerSettingsCheck reads) and stay; a queue
 * that a broker's operator deletes is created again by the broker on the next send, as when it was looked up.
 */
public class QueueDestinations implements DestinationResolver {

    private final DestinationResolver lookup = new DynamicDestinationResolver();
    private final Map<String, Destination> queues = new ConcurrentHashMap<>();

    @Override
    public Destination resolveDestinationName(Session session, String name, boolean pubSubDomain) throws JMSException {
        if (pubSubDomain) {
            return lookup.resolveDestinationName(session, name, true); // the gateway has no topics: as before
        }
        Destination queue = queues.get(name);
        if (queue == null) {
            queue = lookup.resolveDestinationName(session, name, false);
            queues.putIfAbsent(name, queue);
        }
        return queue;
    }
}
