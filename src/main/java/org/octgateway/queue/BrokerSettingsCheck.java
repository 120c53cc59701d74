package org.octgateway.queue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At startup with an external broker: reads the broker's address settings for the gateway's queues through Artemis
 * management and compares them with {@link BrokerContract}. Each difference is a WARN naming the setting, the
 * broker's value, the value the gateway needs and the fix (deploy/broker.xml); with
 * {@code gateway.broker.require-settings=true} the gateway refuses to start instead.
 */
public class BrokerSettingsCheck extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSettingsCheck.class);
    private static final long REPLY_TIMEOUT_MS = 5000;
    private static final String FIX = "add deploy/broker.xml's <address-setting match=\"gateway.#\"> to the broker's"
            + " broker.xml (see docs/operations.md)";

    private final BrokerManagement management;
    private final BrokerContract contract;
    private final List<String> queues;
    private final boolean required;
    private final ObjectMapper json = new ObjectMapper();

    public BrokerSettingsCheck(ConnectionFactory connectionFactory, BrokerContract contract, List<String> queues, boolean required) {
        this.management = new BrokerManagement(connectionFactory);
        this.contract = contract;
        this.queues = queues;
        this.required = required;
    }

    @Override
    protected void doStart() {
        List<String> differences;
        try {
            differences = differences();
        } catch (Exception e) {
            String problem = "Could not read the broker's address settings through its management address ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "): the gateway needs the 'manage' permission on "
                    + BrokerManagement.MANAGEMENT_ADDRESS + " to check them";
            if (required) {
                throw new IllegalStateException(problem + "; gateway.broker.require-settings=true: not starting");
            }
            LOG.warn("{}; unchecked", problem);
            return;
        }
        if (differences.isEmpty()) {
            LOG.info("The broker's settings for {} are the ones the gateway relies on", queues);
            return;
        }
        differences.forEach(difference -> LOG.warn("Broker setting differs: {}; fix: {}", difference, FIX));
        if (required) {
            throw new IllegalStateException("The broker's settings differ from what the gateway relies on ("
                    + String.join("; ", differences) + "); gateway.broker.require-settings=true: not starting. Fix: " + FIX);
        }
    }

    /** Each setting that differs, once, with the queues it differs for: "redelivery-delay is 0 for gateway.jobs, ...; needs 2000". */
    public List<String> differences() throws Exception {
        Map<String, List<String>> queuesByDifference = new LinkedHashMap<>();
        for (String queue : queues) {
            Object answer = management.ask(message -> JMSManagementHelper.putOperationInvocation(message,
                    ResourceNames.BROKER, "getAddressSettingsAsJSON", queue), REPLY_TIMEOUT_MS);
            if (answer == null) {
                throw new IllegalStateException("the broker refused getAddressSettingsAsJSON(" + queue + ")");
            }
            JsonNode settings = json.readTree(answer.toString());
            for (BrokerContract.Setting setting : contract.settings()) {
                JsonNode value = settings.get(setting.jsonKey());
                String actual = value == null || value.isNull() ? null : value.asText();
                if (!setting.matches(actual)) {
                    String difference = setting.element() + " is " + (actual == null ? "not set (Artemis' default applies)" : actual);
                    queuesByDifference.computeIfAbsent(difference + "; the gateway needs " + setting.expected(),
                            key -> new ArrayList<>()).add(queue);
                }
            }
        }
        List<String> differences = new ArrayList<>();
        queuesByDifference.forEach((difference, differing) -> {
            int split = difference.indexOf(';');
            differences.add(difference.substring(0, split) + " for " + String.join(", ", differing) + difference.substring(split));
        });
        return differences;
    }
}
