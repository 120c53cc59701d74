package org.octgateway.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.octgateway.operations.GatewayMetrics;
import org.octgateway.worker.JobSteps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Shapes a queued result envelope into the webhook request (routes/delivery.yaml) and records what
 * became of it. The webhook sees only Content-Type and the Standard Webhooks headers.
 */
public class WebhookDelivery {

    public static final String WEBHOOK_URL = "gatewayWebhookUrl";
    public static final String REQUEST_UUID = "gatewayRequestUuid";
    public static final String EXAMINATION_ID = "gatewayExaminationId";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final WebhookSigner signer;
    private final GatewayMetrics metrics;

    public WebhookDelivery(WebhookSigner signer, GatewayMetrics metrics) {
        this.signer = signer;
        this.metrics = metrics;
    }

    /** Called before the first attempt and before every retry, so the timestamp and signature are fresh. */
    public void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        if (exchange.getProperty(WEBHOOK_URL) != null) {
            metrics.webhookDelivery("retried");
        } else {
            exchange.setProperty(WEBHOOK_URL, message.getHeader(JobSteps.WEBHOOK_URL_HEADER, String.class));
            exchange.setProperty(REQUEST_UUID, message.getHeader(JobSteps.REQUEST_UUID_HEADER, String.class));
            exchange.setProperty(EXAMINATION_ID, message.getHeader(JobSteps.EXAMINATION_ID_HEADER, String.class));
        }
        String requestUuid = exchange.getProperty(REQUEST_UUID, String.class);
        MDC.put("request_uuid", requestUuid);
        MDC.put("examination_id", java.util.Objects.toString(exchange.getProperty(EXAMINATION_ID, String.class), "-"));
        String body = message.getBody(String.class);
        long timestamp = System.currentTimeMillis() / 1000;

        // The error handler counts attempts in these headers: clearing them would make every retry the first
        // (the webhook would be retried forever and never reach the dead-letter queue).
        Object redeliveryCounter = message.getHeader(Exchange.REDELIVERY_COUNTER);
        Object redeliveryMaxCounter = message.getHeader(Exchange.REDELIVERY_MAX_COUNTER);
        Object redelivered = message.getHeader(Exchange.REDELIVERED);
        message.getHeaders().clear();
        if (redeliveryCounter != null) {
            message.setHeader(Exchange.REDELIVERY_COUNTER, redeliveryCounter);
            message.setHeader(Exchange.REDELIVERY_MAX_COUNTER, redeliveryMaxCounter);
            message.setHeader(Exchange.REDELIVERED, redelivered);
        }
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
        message.setHeader("GatewayFailure", cause == null ? "unknown" : String.valueOf(cause.getMessage()));
        metrics.webhookDelivery("dead_lettered");
        LOG.warn("Webhook delivery failed for good, kept in the dead-letter queue: {}",
                cause == null ? "unknown" : cause.getMessage());
    }
}
