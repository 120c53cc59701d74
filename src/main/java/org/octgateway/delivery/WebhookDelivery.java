package org.octgateway.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.octgateway.operations.GatewayMetrics;
import org.octgateway.queue.JobLogContext;
import org.octgateway.worker.JobSteps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes a queued result envelope into the webhook request (routes/delivery.yaml) and records what
 * became of it. The webhook sees only Content-Type and the Standard Webhooks headers.
 * <p>
 * Every attempt is one delivery of the queued message: a failed attempt rolls the message back and the
 * broker redelivers it after its backoff, so a webhook that is down holds no consumer thread meanwhile.
 */
public class WebhookDelivery {

    public static final String WEBHOOK_URL = "gatewayWebhookUrl";
    public static final String REQUEST_UUID = "gatewayRequestUuid";
    public static final String EXAMINATION_ID = "gatewayExaminationId";
    public static final String ATTEMPT = "gatewayDeliveryAttempt";
    /** The broker counts deliveries of a message (1 for the first) in this JMS property. */
    private static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final WebhookSigner signer;
    private final GatewayMetrics metrics;
    private final int maxAttempts;

    public WebhookDelivery(WebhookSigner signer, GatewayMetrics metrics, int maxAttempts) {
        this.signer = signer;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
    }

    /** Called for every attempt, so the timestamp and signature are always fresh. */
    public void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        int attempt = message.getHeader(DELIVERY_COUNT, 1, Integer.class);
        exchange.setProperty(ATTEMPT, attempt);
        if (attempt > 1) {
            metrics.webhookDelivery("retried");
        }
        exchange.setProperty(WEBHOOK_URL, message.getHeader(JobSteps.WEBHOOK_URL_HEADER, String.class));
        exchange.setProperty(REQUEST_UUID, message.getHeader(JobSteps.REQUEST_UUID_HEADER, String.class));
        exchange.setProperty(EXAMINATION_ID, message.getHeader(JobSteps.EXAMINATION_ID_HEADER, String.class));
        String requestUuid = exchange.getProperty(REQUEST_UUID, String.class);
        JobLogContext.tag(requestUuid, exchange.getProperty(EXAMINATION_ID, String.class));
        String body = message.getBody(String.class);
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

    /** Whether the attempt that just failed was the last one allowed (gateway.webhook.max-attempts). */
    public boolean isLastAttempt(Exchange exchange) {
        return exchange.getProperty(ATTEMPT, 1, Integer.class) >= maxAttempts;
    }

    /** A failed attempt that the broker will retry after its backoff. */
    public void willRetry(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Webhook delivery attempt {} of {} failed ({}); the broker redelivers it after its backoff",
                exchange.getProperty(ATTEMPT), maxAttempts, failure(cause));
    }

    /**
     * What went wrong, without the webhook URL: its query string may carry the caller's token, and it is
     * known from the envelope's own record anyway.
     */
    static String failure(Throwable cause) {
        if (cause instanceof HttpOperationFailedException http) {
            return "the webhook answered HTTP " + http.getStatusCode();
        }
        if (cause == null) {
            return "unknown";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().replaceAll("https?://\\S+", "<webhook>");
        return cause.getClass().getSimpleName() + message;
    }

    public void delivered(Exchange exchange) {
        metrics.webhookDelivery("delivered");
        LOG.info("Result delivered to the webhook (HTTP {})", exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
    }

    /** Keeps what the dead-letter queue needs to replay the delivery later. */
    public void deadLettered(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        message.getHeaders().clear();
        message.setBody(body);
        message.setHeader(JobSteps.WEBHOOK_URL_HEADER, exchange.getProperty(WEBHOOK_URL, String.class));
        message.setHeader(JobSteps.REQUEST_UUID_HEADER, exchange.getProperty(REQUEST_UUID, String.class));
        if (exchange.getProperty(EXAMINATION_ID) != null) {
            message.setHeader(JobSteps.EXAMINATION_ID_HEADER, exchange.getProperty(EXAMINATION_ID, String.class));
        }
        message.setHeader("GatewayFailure", failure(cause));
        metrics.webhookDelivery("dead_lettered");
        LOG.warn("Webhook delivery failed for good, kept in the dead-letter queue: {}",
                failure(cause));
    }
}
