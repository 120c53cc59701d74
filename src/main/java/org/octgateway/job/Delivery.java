package org.octgateway.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A job's result envelope on its way to the caller's webhook: where it goes, which job it announces and which attempt
 * this is. Travels on the delivery queue (and in the dead-letter queue) as the JSON message property
 * {@link MessageNames#DELIVERY_PROPERTY}, beside the envelope as the body, and through the delivery route as the
 * exchange property {@code delivery}.
 *
 * @param webhookUrl    where the envelope is POSTed (the client's Webhook-Url, as accepted)
 * @param requestUuid   the job's request_uuid: the webhook-id, the same on every attempt
 * @param examinationId the client's examination id, may be null (for log lines)
 * @param attempt       1 for the first attempt
 * @param noFolder      true when the job is known to be of no exam folder (an upload): its webhook outcome then needs
 *                      no exam countdown, which spares the state store a transaction of two UPDATEs per upload; false
 *                      (the safe answer, also when absent: queued by an earlier version) when it may be of one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Delivery(String webhookUrl, String requestUuid, String examinationId, int attempt, boolean noFolder) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A delivery that may be of an exam folder (a bucket job, an exam's own envelope, a legacy message). */
    public Delivery(String webhookUrl, String requestUuid, String examinationId, int attempt) {
        this(webhookUrl, requestUuid, examinationId, attempt, false);
    }

    public static Delivery firstAttemptOf(Job job) {
        // only a bucket job can be one of a folder's images
        return new Delivery(job.webhookUrl(), job.requestUuid(), job.examinationId(), 1, job.isUpload());
    }

    public Delivery nextAttempt() {
        return new Delivery(webhookUrl, requestUuid, examinationId, attempt + 1, noFolder);
    }

    /** The same delivery from its first attempt again (a replayed dead letter). */
    public Delivery firstAttempt() {
        return new Delivery(webhookUrl, requestUuid, examinationId, 1, noFolder);
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a delivery is always writable as JSON", e);
        }
    }

    public static Delivery fromJson(String json) {
        try {
            return JSON.readValue(json, Delivery.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a queued delivery: " + e.getOriginalMessage(), e);
        }
    }
}
