package org.octgateway.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.octgateway.job.Delivery;
import org.octgateway.job.MessageNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code inference.exam_completed} envelope of a folder's bucket request, once every image has reached a
 * final state and its own envelope has left the delivery route (delivered or dead-lettered), so the exam's envelope
 * comes after the images'.
 * <p>
 * Each image's first webhook outcome counts its exam's {@code remaining} down (RequestStates, in the transaction that
 * records the outcome). The database decides who sends it: a conditional UPDATE moves the exam from {@code open} to
 * {@code claimed} once {@code remaining} is 0, and exactly one gateway's UPDATE matches. The claimer queues the envelope on the delivery queue within its delivery
 * transaction, with the broker's duplicate-detection id {@code exam-completed-<exam id>}. A claim is only final
 * ({@code sent}) once the sweeper has seen the envelope on the queue: it queues it again, with the same id, for every
 * claim older than the grace period (the broker drops the copy if the first made it: a crash between the claim and
 * the queue commit loses nothing and doubles nothing), and claims the exams whose last step was lost in a crash.
 */
public class ExamCompletion {

    static final String OPEN = "open";
    static final String CLAIMED = "claimed";
    static final String SENT = "sent";
    /** The envelope's type, named as the result envelope's "inference.result". */
    public static final String TYPE = "inference.exam_completed";
    private static final Logger LOG = LoggerFactory.getLogger(ExamCompletion.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An exam's completion, ready for the delivery queue: the delivery (JSON), the envelope (JSON), the duplicate id. */
    public record ExamCompleted(String examRequestUuid, String delivery, String envelope, String duplicateId) {
    }

    /** What the webhook receives when an exam folder is done. */
    public record Envelope(
            @JsonProperty("type") String type,
            @JsonProperty("bucket_request_uuid") String bucketRequestUuid,
            @JsonProperty("examination_id") String examinationId,
            @JsonProperty("status") String status,
            @JsonProperty("total") int total,
            @JsonProperty("counts") Map<String, Long> counts,
            @JsonProperty("images") List<ExamProgress.Image> images,
            @JsonProperty("timestamp") String timestamp) {
    }

    private final Sql sql;
    private final long graceMillis;

    public ExamCompletion(Sql sql, long graceMillis) {
        this.sql = sql;
        this.graceMillis = graceMillis;
    }

    /**
     * After an envelope's webhook outcome (delivered or dead-lettered): when that was the last image of its exam,
     * claims the exam and answers its completion to queue; otherwise null. One UPDATE.
     */
    public ExamCompleted claimAfter(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery) {
        int claimed = sql.update("UPDATE exam_requests SET completion = ?, claimed_at = ? WHERE exam_request_uuid ="
                + " (SELECT exam_request_uuid FROM request_records WHERE request_uuid = ?) AND completion = ? AND remaining <= 0",
                CLAIMED, System.currentTimeMillis(), delivery.requestUuid(), OPEN);
        if (claimed == 0) {
            return null;
        }
        String exam = sql.one("SELECT exam_request_uuid FROM request_records WHERE request_uuid = ?", row -> row.getString(1),
                delivery.requestUuid()).orElseThrow();
        LOG.info("Exam request {} is complete: its exam_completed envelope is queued", exam);
        return completion(exam);
    }

    /**
     * For the sweeper: exams whose claim was lost in a crash (all outcomes counted, still open: claimed now) and claims
     * older than the grace period (queued again under the same duplicate id, then confirmed by {@link #sent}).
     */
    public List<ExamCompleted> due() {
        long now = System.currentTimeMillis();
        List<String> exams = new ArrayList<>();
        for (String open : sql.list("SELECT exam_request_uuid FROM exam_requests WHERE completion = ? AND remaining <= 0"
                + " ORDER BY accepted_at LIMIT 100", row -> row.getString(1), OPEN)) {
            if (sql.update("UPDATE exam_requests SET completion = ?, claimed_at = ? WHERE exam_request_uuid = ? AND completion = ?",
                    CLAIMED, now, open, OPEN) == 1) {
                exams.add(open);
            }
        }
        exams.addAll(sql.list("SELECT exam_request_uuid FROM exam_requests WHERE completion = ? AND claimed_at < ?"
                + " ORDER BY claimed_at LIMIT 100", row -> row.getString(1), CLAIMED, now - graceMillis));
        return exams.stream().distinct().map(this::completion).toList();
    }

    /** The envelope is on the delivery queue (committed): the claim is final. */
    public void sent(@Body ExamCompleted completed) {
        LOG.info("Exam request {}: its exam_completed envelope is confirmed on the delivery queue", completed.examRequestUuid());
        sql.update("UPDATE exam_requests SET completion = ?, sent_at = ? WHERE exam_request_uuid = ? AND completion = ?",
                SENT, System.currentTimeMillis(), completed.examRequestUuid(), CLAIMED);
    }

    private ExamCompleted completion(String exam) {
        record Exam(String caller, String examinationId, String webhookUrl, int images) {
        }
        Exam row = sql.one("SELECT caller, examination_id, webhook_url, images FROM exam_requests WHERE exam_request_uuid = ?",
                r -> new Exam(r.getString(1), r.getString(2), r.getString(3), r.getInt(4)), exam).orElseThrow();
        List<ExamProgress.Image> images = sql.list("SELECT request_uuid, name, state, result_path, error FROM request_records"
                + " WHERE exam_request_uuid = ? ORDER BY name, request_uuid", ExamCompletion::image, exam);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ExamProgress.Image image : images) {
            counts.merge(image.state(), 1L, Long::sum);
        }
        Envelope envelope = new Envelope(TYPE, exam, row.examinationId(), RequestStates.COMPLETED, images.size(), counts, images,
                Instant.now().toString());
        try {
            return new ExamCompleted(exam, new Delivery(row.webhookUrl(), exam, row.examinationId(), 1).json(),
                    JSON.writeValueAsString(envelope), "exam-completed-" + exam);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an exam envelope is always writable as JSON", e);
        }
    }

    static ExamProgress.Image image(ResultSet row) throws SQLException {
        return new ExamProgress.Image(row.getString("request_uuid"), row.getString("name"), row.getString("state"),
                row.getString("result_path"), row.getString("error"));
    }
}
