package org.octgateway.job;

/**
 * The names under which a job and its result travel between the stages, in one place: the exchange property the
 * REST side sets for the caller, and the properties of the messages on the job and delivery queues (what an
 * operator sees when browsing a queue in hawtio).
 */
public final class MessageNames {

    /** Exchange property: the name of the API caller (never its key), set when the request is authenticated. */
    public static final String CALLER = "gatewayCaller";

    /** Job queue message property: the job as JSON (the body carries the image bytes, if any). */
    public static final String JOB_PROPERTY = "GatewayJob";
    /** Job queue message property: the caller's name; the broker counts each caller's backlog by it. */
    public static final String CALLER_PROPERTY = "GatewayCaller";

    /** Delivery queue message properties: where the envelope goes, its idempotency key, its examination. */
    public static final String WEBHOOK_URL_HEADER = "GatewayWebhookUrl";
    public static final String REQUEST_UUID_HEADER = "GatewayRequestUuid";
    public static final String EXAMINATION_ID_HEADER = "GatewayExaminationId";

    private MessageNames() {
    }
}
