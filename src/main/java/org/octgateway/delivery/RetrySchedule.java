package org.octgateway.delivery;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When webhook attempts happen (gateway.webhook.retry-schedule), as Standard Webhooks and Svix do it: entry n is
 * the wait before attempt n+1 (the first entry, normally 0s, is the first attempt), the last entry repeats when
 * gateway.webhook.max-attempts asks for more attempts than listed. Each wait gets up to 20% more at random, so
 * deliveries that failed together do not all come back at the same second.
 */
public record RetrySchedule(List<Duration> delays, Duration maxRetryAfter) {

    private static final double JITTER = 0.2;

    /** Parses a comma-separated list of durations: {@code 500ms}, {@code 5s}, {@code 5m}, {@code 2h}. */
    public static RetrySchedule parse(String setting, Duration maxRetryAfter) {
        List<Duration> delays = Arrays.stream(setting.split(",")).map(String::trim).filter(entry -> !entry.isEmpty())
                .map(RetrySchedule::duration).toList();
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("gateway.webhook.retry-schedule lists no delays");
        }
        return new RetrySchedule(delays, maxRetryAfter);
    }

    private static Duration duration(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("gateway.webhook.retry-schedule: '" + text
                    + "' is not a duration (write e.g. 500ms, 5s, 5m or 2h)");
        }
    }

    /** The wait before {@code attempt} (2 for the first retry), with jitter. */
    public Duration delayBefore(int attempt, RandomGenerator random) {
        Duration base = delays.get(Math.min(Math.max(attempt - 1, 0), delays.size() - 1));
        return Duration.ofMillis(Math.round(base.toMillis() * (1 + JITTER * random.nextDouble())));
    }

    /**
     * The wait a webhook asked for in its Retry-After header (seconds or an HTTP date), at most
     * gateway.webhook.max-retry-after; empty when there is none or it cannot be read.
     */
    public Optional<Duration> retryAfter(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Duration asked;
        try {
            asked = Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                asked = Duration.ofMillis(at - nowMillis);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (asked.isNegative()) {
            asked = Duration.ZERO;
        }
        return Optional.of(asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked);
    }
}
