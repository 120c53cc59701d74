package org.octgateway.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gateway.queue.consumer-nice: steps of Linux's nice range, 0 to 19; another value stops the start, naming it. */
class ConsumerThreadsTest {

    @Test
    void aValueOutsideZeroToNineteenIsRefusedNamingTheSetting() {
        for (int wrong : new int[] {-1, 20}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new ConsumerThreads("job-worker", wrong));
            assertTrue(refused.getMessage().contains("gateway.queue.consumer-nice"), refused.getMessage());
        }
        assertDoesNotThrow(() -> new ConsumerThreads("job-worker", 0));
        assertDoesNotThrow(() -> new ConsumerThreads("job-worker", 19));
    }
}
