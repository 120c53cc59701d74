package org.octgateway.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

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
        @JsonProperty("result") @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode result,
        @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        @JsonProperty("timestamp") String timestamp) {

    public static final String TYPE = "inference.result";
    public static final String COMPLETED = "completed";
    public static final String ERROR = "error";
}
