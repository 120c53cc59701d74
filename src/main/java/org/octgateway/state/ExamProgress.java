package org.octgateway.state;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code GET /examinations/{examination_id}} answers: how many of the examination's images are in each state,
 * and one page of them (ordered by request_uuid; {@code next_after} is the {@code after} of the next page, null on
 * the last).
 */
public record ExamProgress(
        @JsonProperty("examination_id") String examinationId,
        @JsonProperty("total") long total,
        @JsonProperty("counts") Map<String, Long> counts,
        @JsonProperty("images") List<Image> images,
        @JsonProperty("next_after") String nextAfter) {

    /** One image of the examination, as the per-image list of the answer and of exam_completed shows it. */
    public record Image(
            @JsonProperty("request_uuid") String requestUuid,
            @JsonProperty("name") String name,
            @JsonProperty("state") String state,
            @JsonProperty("result_path") String resultPath,
            @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }
}
