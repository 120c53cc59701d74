package org.octgateway.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One image to run through the inference server: what the client asked for, as accepted.
 * Travels with the queued message as JSON; the image bytes travel as the message body (uploads)
 * or are fetched from {@link #source()} by the worker (bucket jobs).
 *
 * @param requestUuid         the id answered to the client; idempotency key and webhook-id
 * @param endpoint            the REST endpoint that accepted it (for logs and metrics)
 * @param source              where the image is: {@code upload}, or a storage provider name
 * @param bucket              input bucket / container (bucket jobs)
 * @param objectName          object / blob name inside the bucket (bucket jobs)
 * @param filename            the name answered to the client
 * @param examinationId       the client's examination id, may be null
 * @param webhookUrl          where the result envelope goes
 * @param inferenceParameters the validated Inference-Parameters JSON object, defaults applied
 * @param outputBucket        where the result JSON is written, when {@code resultPath} is set
 * @param resultPath          object name of the result in the output bucket; null when nothing is written
 * @param acceptedAt          epoch milliseconds when the job was accepted
 * @param caller              the name of the API caller that asked for it (never its key); null in jobs queued
 *                            before callers were named
 * @param deadlineAt          epoch milliseconds until which it may wait in the queue (its request's TTL); 0 in jobs
 *                            queued before deadlines travelled with the job: the gateway's default TTL applies
 */
// Jobs queued by an older or newer gateway version must still be readable.
@JsonIgnoreProperties(ignoreUnknown = true)
public record Job(
        String requestUuid,
        String endpoint,
        String source,
        String bucket,
        String objectName,
        String filename,
        String examinationId,
        String webhookUrl,
        String inferenceParameters,
        String outputBucket,
        String resultPath,
        long acceptedAt,
        String caller,
        long deadlineAt) {

    public static final String UPLOAD = "upload";

    /** A job whose caller and deadline are not known yet (set by {@link #accepted}). */
    public Job(String requestUuid, String endpoint, String source, String bucket, String objectName, String filename,
               String examinationId, String webhookUrl, String inferenceParameters, String outputBucket, String resultPath,
               long acceptedAt) {
        this(requestUuid, endpoint, source, bucket, objectName, filename, examinationId, webhookUrl, inferenceParameters,
                outputBucket, resultPath, acceptedAt, null, 0);
    }

    /** The job as accepted from {@code caller}, to wait at most {@code ttlSeconds} in the queue from its acceptance. */
    public Job accepted(String caller, long ttlSeconds) {
        return new Job(requestUuid, endpoint, source, bucket, objectName, filename, examinationId, webhookUrl,
                inferenceParameters, outputBucket, resultPath, acceptedAt, caller, acceptedAt + ttlSeconds * 1000);
    }

    @JsonIgnore
    public boolean isUpload() {
        return UPLOAD.equals(source);
    }

    @JsonIgnore
    public boolean writesResult() {
        return resultPath != null;
    }
}
