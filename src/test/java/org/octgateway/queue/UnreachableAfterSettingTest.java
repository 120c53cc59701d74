package org.octgateway.queue;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gateway.broker.unreachable-after-ms below 300 ms (the broker pinged every third of it) stops the start, naming it. */
class UnreachableAfterSettingTest {

    @Test
    void aValueBelowThreeHundredMillisecondsIsRefusedNamingTheSetting() {
        for (long wrong : new long[] {-1, 0, 299}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new QueueConfiguration().queueHealth(new DefaultCamelContext(), "tcp://127.0.0.1:1", "", "", wrong));
            assertTrue(refused.getMessage().contains("gateway.broker.unreachable-after-ms"), refused.getMessage());
            assertTrue(refused.getMessage().contains("not " + wrong), refused.getMessage());
        }
    }

    @Test
    void threeHundredMillisecondsIsAllowed() {
        assertDoesNotThrow(() -> new QueueConfiguration().queueHealth(new DefaultCamelContext(), "tcp://127.0.0.1:1", "", "", 300));
    }
}
