package org.octgateway.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code GET /requests/{request_uuid}} answers: the state of one image's job, as the pipeline last wrote it.
 * Times are ISO-8601 instants, null until they happen.
 */
public record RequestRecord(
        @JsonProperty("request_uuid") String requestUuid,
        @JsonProperty("state") String state,
        @JsonProperty("examination_id") String examinationId,
        @JsonProperty("name") String name,
        @JsonProperty("provider") String provider,
        @JsonProperty("bucket") String bucket,
        @JsonProperty("result_path") String resultPath,
        @JsonProperty("error") String error,
        @JsonProperty("inference_attempts") int inferenceAttempts,
        @JsonProperty("webhook_state") String webhookState,
        @JsonProperty("webhook_attempts") int webhookAttempts,
        @JsonProperty("accepted_at") String acceptedAt,
        @JsonProperty("deadline_at") String deadlineAt,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("delivered_at") String deliveredAt) {

    /** The columns {@link #of} reads, in a SELECT list. */
    static final String COLUMNS = "request_uuid, state, examination_id, name, provider, bucket, result_path, error, "
            + "inference_attempts, webhook_state, webhook_attempts, accepted_at, deadline_at, started_at, finished_at, "
            + "delivered_at";

    static RequestRecord of(ResultSet row) throws SQLException {
        return new RequestRecord(row.getString("request_uuid"), row.getString("state"), row.getString("examination_id"),
                row.getString("name"), row.getString("provider"), row.getString("bucket"), row.getString("result_path"),
                row.getString("error"), row.getInt("inference_attempts"), row.getString("webhook_state"),
                row.getInt("webhook_attempts"), instant(row, "accepted_at"), instant(row, "deadline_at"),
                instant(row, "started_at"), instant(row, "finished_at"), instant(row, "delivered_at"));
    }

    private static String instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis).toString();
    }
}
