package org.octgateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped retry schedule is Standard Webhooks' one, with jitter that never retries early; Retry-After is capped. */
class RetryScheduleTest {

    private static final String SHIPPED = "0s,5s,5m,30m,2h,5h,10h,10h";

    @Test
    void theShippedScheduleWaitsAsStandardWebhooksSaysWithUpTo20PercentJitter() {
        RetrySchedule schedule = RetrySchedule.parse(SHIPPED, Duration.ofHours(1));
        List<Duration> base = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10), Duration.ofHours(10));
        Random random = new Random(7);
        for (int attempt = 2; attempt <= 9; attempt++) {
            Duration expected = base.get(attempt - 2);
            for (int i = 0; i < 50; i++) {
                Duration delay = schedule.delayBefore(attempt, random);
                assertTrue(delay.compareTo(expected) >= 0 && delay.toMillis() <= expected.toMillis() * 1.2,
                        "attempt " + attempt + " waits " + delay + " for " + expected);
            }
        }
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADateAndCapped() {
        RetrySchedule schedule = RetrySchedule.parse(SHIPPED, Duration.ofMinutes(10));
        long now = 1_700_000_000_000L;
        assertEquals(Optional.of(Duration.ofSeconds(120)), schedule.retryAfter("120", now));
        assertEquals(Optional.of(Duration.ofMinutes(10)), schedule.retryAfter("86400", now), "capped");
        assertEquals(Optional.of(Duration.ofSeconds(30)), schedule.retryAfter("Tue, 14 Nov 2023 22:13:50 GMT", now));
        assertEquals(Optional.empty(), schedule.retryAfter("soon", now));
    }

    @Test
    void aScheduleThatIsNotDurationsStopsStartupWithItsName() {
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parse("0s,5 minutes", Duration.ZERO));
        assertTrue(wrong.getMessage().contains("gateway.webhook.retry-schedule"), wrong.getMessage());
    }
}
