package org.octgateway.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON answers of the REST API, as records: what Acceptance and the error handling write, and what
 * the OpenAPI document (/api-doc) describes as response models.
 */
public final class Answers {

    private Answers() {
    }

    /** POST /invocations: the uploaded image was queued. */
    public record UploadSent(
            @JsonProperty("filename") String filename,
            @JsonProperty("status") String status,
            @JsonProperty("request_uuid") String requestUuid) {
    }

    /** A bucket endpoint, when Input-Location named one object: scalars. */
    public record ObjectSent(
            @JsonProperty("filename") String filename,
            @JsonProperty("status") String status,
            @JsonProperty("result_path") String resultPath,
            @JsonProperty("request_uuid") String requestUuid) {
    }

    /** A bucket endpoint, when Input-Location named a folder: arrays in correspondence, sorted by name. */
    public record FolderSent(
            @JsonProperty("filename") List<String> filenames,
            @JsonProperty("status") String status,
            @JsonProperty("result_path") List<String> resultPaths,
            @JsonProperty("request_uuid") List<String> requestUuids) {
    }

    /** Every refusal: {"status":"error","error":<code>,"message":<plain words>}. */
    public record Error(
            @JsonProperty("status") String status,
            @JsonProperty("error") String error,
            @JsonProperty("message") String message) {
    }
}
