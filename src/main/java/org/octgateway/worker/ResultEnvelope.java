package org.octgateway.worker;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.octgateway.job.Job;

/**
 * What the webhook receives for one job (and, for completed jobs, what is written at result_path).
 * {@code result} is present when completed, {@code error} when not.
 */
public record ResultEnvelope(
        @JsonProperty("type") String type,
        @JsonProperty("request_uuid") String requestUuid,
        @JsonProperty("examination_id") String examinationId,
        @JsonProperty("filename") String filename,
        @JsonProperty("status") String status,
        @JsonProperty("result_path") String resultPath,
        // the inference server's JSON as it came (checked by JobSteps.inferenceResult), not a re-written tree
        @JsonProperty("result") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String result,
        @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        @JsonProperty("timestamp") String timestamp) {

    public static final String TYPE = "inference.result";
    public static final String COMPLETED = "completed";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";

    static ResultEnvelope completed(Job job, String result, Instant at) {
        return new ResultEnvelope(TYPE, job.requestUuid(), job.examinationId(), job.filename(), COMPLETED,
                job.resultPath(), result, null, at.toString());
    }

    /** Nothing was written for a failed job: its result_path is null. */
    static ResultEnvelope failed(Job job, String reason, Instant at) {
        return new ResultEnvelope(TYPE, job.requestUuid(), job.examinationId(), job.filename(), ERROR,
                null, null, reason, at.toString());
    }

    /** A job that ended while queued (cancelled, expired): never run, nothing written. */
    static ResultEnvelope skipped(Job job, String status, String reason, Instant at) {
        return new ResultEnvelope(TYPE, job.requestUuid(), job.examinationId(), job.filename(), status,
                null, null, reason, at.toString());
    }
}
