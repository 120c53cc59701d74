package org.octgateway.job;

/**
 * The names under which a job and its result travel between the stages, in one place: the exchange property the
 * REST side sets for the caller, and the properties of the messages on the job and delivery queues (what an
 * operator sees when browsing a queue in hawtio).
 */
public final class MessageNames {

    /** Exchange property: the {@link Job} a worker holds (worker/WorkerRoutes), one typed value from taking to ending. */
    public static final String JOB = "job";
    /** Exchange property: the {@link Delivery} of the envelope being delivered (routes/delivery.yaml). */
    public static final String DELIVERY = "delivery";
    /** Exchange property: the name of the API caller (never its key), set when the request is authenticated. */
    public static final String CALLER = "gatewayCaller";
    /** Exchange property: why a job failed for good, in plain words (its error envelope's "error", its record's). */
    public static final String FAILURE_REASON = "failureReason";

    /** Job queue message property: the job as JSON (the body carries the image bytes, if any). */
    public static final String JOB_PROPERTY = "GatewayJob";
    /** Job queue message property: the caller's name; the broker counts each caller's backlog by it. */
    public static final String CALLER_PROPERTY = "GatewayCaller";
    /**
     * Job queue message body: an uploaded image smaller than this travels whole in its job's message (in the broker's
     * memory, paged to disk past gateway.broker.max-memory-bytes); a larger one as an Artemis large message, streamed
     * to and from the broker's disk. Artemis' default minLargeMessageSize, which the gateway's connections keep.
     */
    public static final int IN_MESSAGE_IMAGE_BYTES = 100 * 1024;

    /** Delivery and dead-letter queue message property: the {@link Delivery} as JSON (the body is the envelope). */
    public static final String DELIVERY_PROPERTY = "GatewayDelivery";
    /** Dead-letter queue message property: why the delivery failed for good, in plain words. */
    public static final String FAILURE_PROPERTY = "GatewayFailure";

    /**
     * Delivery message properties of gateway versions before {@link #DELIVERY_PROPERTY}: deliveries and dead letters
     * they queued are still read (delivery/WebhookDelivery, operations/DeadLetters).
     */
    public static final String LEGACY_WEBHOOK_URL = "GatewayWebhookUrl";
    public static final String LEGACY_REQUEST_UUID = "GatewayRequestUuid";
    public static final String LEGACY_EXAMINATION_ID = "GatewayExaminationId";
    public static final String LEGACY_ATTEMPT = "GatewayDeliveryAttempt";

    private MessageNames() {
    }
}
