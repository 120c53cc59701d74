package org.octgateway.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.octgateway.job.Delivery;
import org.octgateway.job.JobLogContext;
import org.octgateway.job.MessageNames;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.validation.WebhookAddressRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of webhook delivery (routes/delivery.yaml shapes the messages): which delivery a queued message is,
 * whether a failed attempt ends it, when the next attempt happens, and the record of each outcome.
 * <p>
 * Every attempt is one delivery of a queued message. A failed attempt is not rolled back: the delivery is sent
 * again to the delivery queue with the next attempt number and an Artemis scheduled delivery time (the retry
 * schedule, or the webhook's Retry-After), in the same transaction that consumes the current one. So a retry
 * waits in the broker, holding no consumer, and survives restarts.
 */
public class WebhookDelivery {

    /** A host at its per-host limit is tried again after about this long (not counted as an attempt). */
    private static final Duration BUSY_HOST_PAUSE = Duration.ofSeconds(1);
    private static final int GONE = 410;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final GatewayMetrics metrics;
    private final int maxAttempts;
    private final RetrySchedule schedule;

    public WebhookDelivery(GatewayMetrics metrics, int maxAttempts, RetrySchedule schedule) {
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.schedule = schedule;
    }

    /**
     * The delivery a queued message is for: its {@link MessageNames#DELIVERY_PROPERTY}, or the separate properties
     * an earlier gateway version queued (absent attempt: the first). Log lines are tagged with its job from here on.
     */
    public Delivery received(@Header(MessageNames.DELIVERY_PROPERTY) String queued,
            @Header(MessageNames.LEGACY_WEBHOOK_URL) String legacyWebhookUrl,
            @Header(MessageNames.LEGACY_REQUEST_UUID) String legacyRequestUuid,
            @Header(MessageNames.LEGACY_EXAMINATION_ID) String legacyExaminationId,
            @Header(MessageNames.LEGACY_ATTEMPT) Integer legacyAttempt) {
        Delivery delivery = queued != null ? Delivery.fromJson(queued)
                : new Delivery(legacyWebhookUrl, legacyRequestUuid, legacyExaminationId, legacyAttempt == null ? 1 : legacyAttempt);
        JobLogContext.tag(delivery.requestUuid(), delivery.examinationId());
        return delivery;
    }

    /**
     * Whether the attempt that just failed ends the delivery: the last attempt allowed (gateway.webhook.max-attempts),
     * a 410 Gone (the receiver asks for no more deliveries, as Standard Webhooks says), or an address the gateway may
     * not call.
     */
    public boolean failsForGood(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        return delivery.attempt() >= maxAttempts
                || cause instanceof HttpOperationFailedException http && http.getStatusCode() == GONE
                || cause instanceof WebhookAddressRefused;
    }

    /** When (epoch millis) the next attempt is due: as the schedule (or the webhook's Retry-After) says. */
    public long nextAttemptAt(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        int attempt = delivery.attempt();
        Duration delay = retryAfter(cause).orElseGet(() -> schedule.delayBefore(attempt + 1, ThreadLocalRandom.current()));
        metrics.webhookDelivery("retried");
        LOG.warn("Webhook delivery attempt {} of {} to {} failed ({}); next attempt in {} s", attempt, maxAttempts,
                shortUrl(delivery.webhookUrl()), failure(cause), delay.toSeconds());
        return System.currentTimeMillis() + delay.toMillis();
    }

    /**
     * When (epoch millis) to try a host that already has its share of deliveries under way: shortly, and the attempt
     * does not count.
     */
    public long busyHostRetryAt(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery) {
        Duration pause = BUSY_HOST_PAUSE.plusMillis(ThreadLocalRandom.current().nextLong(BUSY_HOST_PAUSE.toMillis()));
        LOG.debug("Webhook host {} is at its limit of deliveries under way; attempt {} waits {} ms",
                shortUrl(delivery.webhookUrl()), delivery.attempt(), pause.toMillis());
        return System.currentTimeMillis() + pause.toMillis();
    }

    private Optional<Duration> retryAfter(Exception cause) {
        if (cause instanceof HttpOperationFailedException http && http.getResponseHeaders() != null) {
            return http.getResponseHeaders().entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase("Retry-After")).findFirst()
                    .flatMap(header -> schedule.retryAfter(header.getValue(), System.currentTimeMillis()));
        }
        return Optional.empty();
    }

    /**
     * What went wrong, without the webhook URL: its path and query may carry the caller's token, and it is
     * known from the envelope's own record anyway.
     */
    static String failure(Throwable cause) {
        if (cause instanceof HttpOperationFailedException http) {
            return http.getStatusCode() == GONE ? "the webhook answered HTTP 410 Gone: it takes no more deliveries"
                    : "the webhook answered HTTP " + http.getStatusCode();
        }
        if (cause instanceof WebhookAddressRefused || cause instanceof WebhookDeadlineExceeded) {
            return cause.getMessage();
        }
        if (cause == null) {
            return "unknown";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().replaceAll("https?://\\S+", "<webhook>");
        return cause.getClass().getSimpleName() + message;
    }

    /** A webhook URL as log lines may show it: {@code scheme://host/…} (path and query can carry tokens). */
    static String shortUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getRawAuthority() + "/…";
        } catch (RuntimeException e) {
            return "<webhook>";
        }
    }

    public void delivered(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery, @Header(Exchange.HTTP_RESPONSE_CODE) Integer status) {
        metrics.webhookDelivery("delivered");
        LOG.info("Result delivered to the webhook at {} (HTTP {})", shortUrl(delivery.webhookUrl()), status);
    }

    /** Why the delivery failed for good, in plain words, for the dead-letter queue (operations/DeadLetters replays it). */
    public String deadLettered(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        metrics.webhookDelivery("dead_lettered");
        LOG.warn("Webhook delivery to {} failed for good after attempt {}, kept in the dead-letter queue: {}",
                shortUrl(delivery.webhookUrl()), delivery.attempt(), failure(cause));
        return failure(cause);
    }
}
