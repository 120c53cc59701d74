package org.octgateway.delivery;

import org.octgateway.job.MessageNames;
import org.octgateway.validation.WebhookAddressRefused;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.job.JobLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes a queued result envelope into the webhook request (routes/delivery.yaml) and decides what becomes of an
 * attempt. The webhook sees only Content-Type and the Standard Webhooks headers.
 * <p>
 * Every attempt is one delivery of a queued message. A failed attempt is not rolled back: the delivery is sent
 * again to the delivery queue with the next attempt number and an Artemis scheduled delivery time (the retry
 * schedule, or the webhook's Retry-After), in the same transaction that consumes the current one. So a retry
 * waits in the broker, holding no consumer, and survives restarts.
 */
public class WebhookDelivery {

    public static final String WEBHOOK_URL = "gatewayWebhookUrl";
    public static final String REQUEST_UUID = "gatewayRequestUuid";
    public static final String EXAMINATION_ID = "gatewayExaminationId";
    public static final String ATTEMPT = "gatewayDeliveryAttempt";
    private static final String ENVELOPE = "gatewayEnvelope";
    /** The attempt a queued delivery is for (absent: the first). Dead letters carry none, so a replay starts afresh. */
    public static final String ATTEMPT_HEADER = "GatewayDeliveryAttempt";
    /** Artemis delivers a message carrying this property (epoch millis) no earlier than that time. */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    /** A host at its per-host limit is tried again after about this long (not counted as an attempt). */
    private static final Duration BUSY_HOST_PAUSE = Duration.ofSeconds(1);
    private static final int GONE = 410;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final WebhookSigner signer;
    private final GatewayMetrics metrics;
    private final int maxAttempts;
    private final RetrySchedule schedule;

    public WebhookDelivery(WebhookSigner signer, GatewayMetrics metrics, int maxAttempts, RetrySchedule schedule) {
        this.signer = signer;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.schedule = schedule;
    }

    /** Called for every attempt, so the timestamp and signature are always fresh. */
    public void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        exchange.setProperty(ATTEMPT, message.getHeader(ATTEMPT_HEADER, 1, Integer.class));
        exchange.setProperty(WEBHOOK_URL, message.getHeader(MessageNames.WEBHOOK_URL_HEADER, String.class));
        exchange.setProperty(REQUEST_UUID, message.getHeader(MessageNames.REQUEST_UUID_HEADER, String.class));
        exchange.setProperty(EXAMINATION_ID, message.getHeader(MessageNames.EXAMINATION_ID_HEADER, String.class));
        String requestUuid = exchange.getProperty(REQUEST_UUID, String.class);
        JobLogContext.tag(requestUuid, exchange.getProperty(EXAMINATION_ID, String.class));
        String body = message.getBody(String.class);
        exchange.setProperty(ENVELOPE, body);
        long timestamp = System.currentTimeMillis() / 1000;

        message.getHeaders().clear();
        message.setBody(body);
        message.setHeader(Exchange.HTTP_URI, exchange.getProperty(WEBHOOK_URL, String.class));
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("webhook-id", requestUuid);
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        if (signer.isEnabled()) {
            message.setHeader("webhook-signature", signer.sign(requestUuid, timestamp, body));
        }
    }

    /**
     * Whether the attempt that just failed ends the delivery: the last attempt allowed (gateway.webhook.max-attempts),
     * a 410 Gone (the receiver asks for no more deliveries, as Standard Webhooks says), or an address the gateway may
     * not call.
     */
    public boolean failsForGood(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return exchange.getProperty(ATTEMPT, 1, Integer.class) >= maxAttempts
                || cause instanceof HttpOperationFailedException http && http.getStatusCode() == GONE
                || cause instanceof WebhookAddressRefused;
    }

    /** Queues the next attempt for the time the schedule (or the webhook's Retry-After) says. */
    public void retryLater(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int attempt = exchange.getProperty(ATTEMPT, 1, Integer.class);
        Duration delay = retryAfter(cause).orElseGet(() -> schedule.delayBefore(attempt + 1, ThreadLocalRandom.current()));
        requeue(exchange, attempt + 1, delay);
        metrics.webhookDelivery("retried");
        LOG.warn("Webhook delivery attempt {} of {} to {} failed ({}); next attempt in {} s", attempt, maxAttempts,
                shortUrl(exchange.getProperty(WEBHOOK_URL, String.class)), failure(cause), delay.toSeconds());
    }

    /** The host already has its share of deliveries under way: try again shortly, without counting an attempt. */
    public void postponeForBusyHost(Exchange exchange) {
        int attempt = exchange.getProperty(ATTEMPT, 1, Integer.class);
        Duration pause = BUSY_HOST_PAUSE.plusMillis(ThreadLocalRandom.current().nextLong(BUSY_HOST_PAUSE.toMillis()));
        requeue(exchange, attempt, pause);
        LOG.debug("Webhook host {} is at its limit of deliveries under way; attempt {} waits {} ms",
                shortUrl(exchange.getProperty(WEBHOOK_URL, String.class)), attempt, pause.toMillis());
    }

    private Optional<Duration> retryAfter(Exception cause) {
        if (cause instanceof HttpOperationFailedException http && http.getResponseHeaders() != null) {
            return http.getResponseHeaders().entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase("Retry-After")).findFirst()
                    .flatMap(header -> schedule.retryAfter(header.getValue(), System.currentTimeMillis()));
        }
        return Optional.empty();
    }

    /** The message as the delivery queue holds it: the envelope and what the next attempt needs. */
    private void requeue(Exchange exchange, int attempt, Duration delay) {
        Message message = queuedDelivery(exchange);
        message.setHeader(ATTEMPT_HEADER, attempt);
        message.setHeader(SCHEDULED_DELIVERY, System.currentTimeMillis() + delay.toMillis());
    }

    private static Message queuedDelivery(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(exchange.getProperty(ENVELOPE, String.class));
        message.setHeader(MessageNames.WEBHOOK_URL_HEADER, exchange.getProperty(WEBHOOK_URL, String.class));
        message.setHeader(MessageNames.REQUEST_UUID_HEADER, exchange.getProperty(REQUEST_UUID, String.class));
        if (exchange.getProperty(EXAMINATION_ID) != null) {
            message.setHeader(MessageNames.EXAMINATION_ID_HEADER, exchange.getProperty(EXAMINATION_ID, String.class));
        }
        return message;
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

    public void delivered(Exchange exchange) {
        metrics.webhookDelivery("delivered");
        LOG.info("Result delivered to the webhook at {} (HTTP {})", shortUrl(exchange.getProperty(WEBHOOK_URL, String.class)),
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
    }

    /** Keeps what the dead-letter queue needs to replay the delivery later (operations/DeadLetters), and why it failed. */
    public void deadLettered(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = queuedDelivery(exchange);
        message.setHeader("GatewayFailure", failure(cause));
        metrics.webhookDelivery("dead_lettered");
        LOG.warn("Webhook delivery to {} failed for good after attempt {}, kept in the dead-letter queue: {}",
                shortUrl(exchange.getProperty(WEBHOOK_URL, String.class)), exchange.getProperty(ATTEMPT), failure(cause));
    }
}
