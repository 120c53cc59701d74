package org.octgateway.queue;

import java.util.List;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * What the gateway relies on from its broker, for the jobs, deliveries and dead-letters queues: one source for the
 * embedded broker's address settings, the startup check of an external broker ({@link BrokerSettingsCheck}) and, by
 * a test that compares them, deploy/broker.xml.
 *
 * <p>The redelivery settings only matter for a message rolled back (a gateway crashed or lost the broker while it held
 * a job or a delivery): it comes back after a growing delay instead of at once, and after {@link #MAX_DELIVERY_ATTEMPTS}
 * it is parked in the gateway's dead-letter queue, where replay and {@code gateway_dead_letters} find it (Artemis'
 * own default, {@code DLQ}, is looked at by nobody). Queues are kept when empty, so metrics always find them.
 */
public record BrokerContract(String deadLetterAddress) {

    static final long REDELIVERY_DELAY_MS = 2000;
    static final double REDELIVERY_MULTIPLIER = 2;
    static final long MAX_REDELIVERY_DELAY_MS = 60000;
    static final int MAX_DELIVERY_ATTEMPTS = 20;

    /** One address setting the gateway relies on: its broker.xml element, its key in Artemis' JSON, its value. */
    public record Setting(String element, String jsonKey, String expected) {

        /** Whether the broker's value (as Artemis' management JSON gives it) is the expected one. */
        public boolean matches(String actual) {
            if (actual == null) {
                return false;
            }
            try {
                return Double.parseDouble(actual) == Double.parseDouble(expected);
            } catch (NumberFormatException notANumber) {
                return actual.equalsIgnoreCase(expected);
            }
        }
    }

    /** The settings as broker.xml spells them (deploy/broker.xml), in the order an operator reads them. */
    public List<Setting> settings() {
        return List.of(
                new Setting("dead-letter-address", "deadLetterAddress", deadLetterAddress),
                new Setting("expiry-address", "expiryAddress", deadLetterAddress),
                new Setting("redelivery-delay", "redeliveryDelay", Long.toString(REDELIVERY_DELAY_MS)),
                new Setting("redelivery-delay-multiplier", "redeliveryMultiplier", Double.toString(REDELIVERY_MULTIPLIER)),
                new Setting("max-redelivery-delay", "maxRedeliveryDelay", Long.toString(MAX_REDELIVERY_DELAY_MS)),
                new Setting("max-delivery-attempts", "maxDeliveryAttempts", Integer.toString(MAX_DELIVERY_ATTEMPTS)),
                new Setting("auto-delete-queues", "autoDeleteQueues", "false"),
                new Setting("auto-delete-addresses", "autoDeleteAddresses", "false"));
    }

    /** The same settings for the embedded broker (and a test's broker). */
    public AddressSettings addressSettings() {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetterAddress))
                .setExpiryAddress(SimpleString.of(deadLetterAddress))
                .setAutoCreateDeadLetterResources(false)
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                .setRedeliveryDelay(REDELIVERY_DELAY_MS)
                .setRedeliveryMultiplier(REDELIVERY_MULTIPLIER)
                .setMaxRedeliveryDelay(MAX_REDELIVERY_DELAY_MS)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false);
    }
}
