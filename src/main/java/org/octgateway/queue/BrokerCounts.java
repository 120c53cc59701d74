package org.octgateway.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Counts of the gateway's queues, asked of the Artemis broker itself: the embedded broker's queue controls directly,
 * an external broker through its management address. Message counts and the first message's age are counters the
 * broker keeps (no browsing); counting by a message property walks the job queue once on the broker's side (at
 * startup and now and then). These are the broker's numbers: every gateway sharing the broker reports the same.
 *
 * <p>With an external broker that is known to be unreachable ({@code brokerReachable}), nothing is asked and the
 * answer is "unknown" at once, and a reply is waited for at most {@link #COUNTER_REPLY_TIMEOUT_MS}: a metrics scrape
 * or health check never hangs on a broker outage.
 */
public class BrokerCounts {

    /** A counter is one attribute read on the broker: it answers in milliseconds, or the broker is in trouble. */
    static final long COUNTER_REPLY_TIMEOUT_MS = 500;
    /** Counting by a property walks the queue on the broker (100,000 messages take a few seconds). */
    private static final long WALK_REPLY_TIMEOUT_MS = 10_000;

    /** What {@link #counter} answers when the broker cannot say. */
    private static final Object UNKNOWN = new Object();

    private final EmbeddedBroker embeddedBroker;
    private final BrokerManagement management;
    private final String jobsQueue;
    private final ObjectMapper json;
    private final BooleanSupplier brokerReachable;

    /** Counts that ask the broker whatever its state (tests, and the embedded broker, which answers in-process). */
    public BrokerCounts(EmbeddedBroker embeddedBroker, ConnectionFactory connectionFactory, String jobsQueue, ObjectMapper json) {
        this(embeddedBroker, connectionFactory, jobsQueue, json, () -> true);
    }

    /**
     * @param embeddedBroker  the embedded broker, asked directly (a management round trip costs milliseconds per
     *                        request); null to ask the broker behind {@code connectionFactory} by management messages
     * @param brokerReachable whether the external broker is reachable now (QueueHealth's connection state)
     */
    public BrokerCounts(EmbeddedBroker embeddedBroker, ConnectionFactory connectionFactory, String jobsQueue, ObjectMapper json,
                        BooleanSupplier brokerReachable) {
        this.embeddedBroker = embeddedBroker;
        this.management = new BrokerManagement(connectionFactory);
        this.jobsQueue = jobsQueue;
        this.json = json;
        this.brokerReachable = brokerReachable;
    }

    /**
     * The broker's name for metrics labels, the same in every gateway configured alike: its URL's hosts and ports
     * (no options, no credentials), or {@code embedded@<host>} for the embedded broker, which is this instance's own.
     */
    public static String brokerName(String brokerUrl) {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            String host = System.getenv().getOrDefault("HOSTNAME", "");
            if (host.isBlank()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.io.IOException unknown) {
                    host = "localhost";
                }
            }
            return "embedded@" + host;
        }
        String withoutOptions = brokerUrl.replaceAll("\\?[^,)]*", "");
        return withoutOptions.replaceAll("[()]", "").replaceAll("//[^/@,]*@", "//");
    }

    /** Messages in the job queue (waiting and being delivered); -1 when the broker cannot say. */
    public long messageCount() {
        return messageCount(jobsQueue);
    }

    /** Messages in {@code queue} (waiting and being delivered), 0 before it exists; -1 when the broker cannot say. */
    public long messageCount(String queue) {
        Object count = counter(queue, "messageCount");
        return count == null ? 0 : count instanceof Number number ? number.longValue() : -1;
    }

    /** Age in seconds of the oldest message in {@code queue}, 0 when it is empty; -1 when the broker cannot say. */
    public double oldestAgeSeconds(String queue) {
        Object ageMs = counter(queue, "firstMessageAge");
        return ageMs == null ? 0 : ageMs instanceof Number number ? Math.max(0, number.longValue() / 1000.0) : -1;
    }

    /** Messages in the job queue per value of {@code property} (messages without it are not counted); null when unknown. */
    public Map<String, Long> countBy(String property) {
        String filter = property + " IS NOT NULL";
        try {
            Object result;
            if (embeddedBroker != null) {
                QueueControl queue = embeddedQueue(jobsQueue);
                result = queue == null ? null : queue.countMessages(filter, property);
            } else if (!brokerReachable.getAsBoolean()) {
                return null;
            } else {
                result = management.ask(message -> JMSManagementHelper.putOperationInvocation(message,
                        ResourceNames.QUEUE + jobsQueue, "countMessages", filter, property), WALK_REPLY_TIMEOUT_MS);
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

    /**
     * One counter of {@code queue}: a Number; null when the queue does not exist (yet); {@link #UNKNOWN} when the broker
     * is down, did not answer in time or refused.
     */
    private Object counter(String queue, String attribute) {
        try {
            if (embeddedBroker != null) {
                if (!embeddedBroker.isActive()) {
                    return UNKNOWN;
                }
                QueueControl control = embeddedQueue(queue);
                if (control == null) {
                    return null;
                }
                return "firstMessageAge".equals(attribute) ? control.getFirstMessageAge() : (Object) control.getMessageCount();
            }
            if (!brokerReachable.getAsBoolean()) {
                return UNKNOWN;
            }
            return management.ask(message -> JMSManagementHelper.putAttribute(message, ResourceNames.QUEUE + queue, attribute),
                    COUNTER_REPLY_TIMEOUT_MS);
        } catch (Exception noReplyOrRefused) {
            return UNKNOWN;
        }
    }

    /** The embedded broker's control of {@code queue}; null while the broker is down or the queue not created yet. */
    private QueueControl embeddedQueue(String queue) {
        if (!embeddedBroker.isActive()) {
            return null;
        }
        return (QueueControl) embeddedBroker.server().getActiveMQServer().getManagementService()
                .getResource(ResourceNames.QUEUE + queue);
    }
}
