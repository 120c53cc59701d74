package org.octgateway.state;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.octgateway.contract.ApiError;
import org.octgateway.job.Delivery;
import org.octgateway.job.Job;
import org.octgateway.job.MessageNames;
import org.octgateway.validation.ExaminationId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of every request_uuid, written by the pipeline as it happens: one JDBC batch when a request is
 * accepted, then one conditional UPDATE per state change. Transitions only go forward ({@code WHERE state IN (…)}):
 * a redelivered job or a repeated webhook delivery writes the same state again or nothing, never an older one, so a
 * crash between a broker commit and a state write is repaired by the step that runs next (see README, "What is
 * consistent with what").
 */
public class RequestStates {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";
    /** The states a job ends in. */
    public static final List<String> FINAL = List.of(COMPLETED, ERROR, CANCELLED, EXPIRED);
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD_LETTERED = "dead_lettered";

    /** What {@link #start} tells the worker: run the job (otherwise the answer is the state the job ended in). */
    public static final String RUN = "run";

    /** Request header: how long (seconds) the request's jobs may wait in the queue before they expire unrun. */
    public static final String REQUEST_TTL_HEADER = "Request-TTL-Seconds";
    /** Exchange property: the accepted request's time to live in seconds. */
    public static final String REQUEST_TTL = "gatewayRequestTtl";
    /** Exchange property: the bucket request's own id, for the exam completion of a folder. */
    public static final String EXAM_REQUEST = "gatewayExamRequest";
    private static final long MAX_TTL_SECONDS = 7 * 24 * 3600;
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,7}");
    private static final int MAX_PAGE = 1000;
    private static final int DEFAULT_PAGE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(RequestStates.class);
    /** A webhook outcome's UPDATE, up to the condition on the state it replaces. */
    private static final String SET_WEBHOOK_OUTCOME = "UPDATE request_records SET webhook_state = ?, webhook_attempts = ?,"
            + " delivered_at = ? WHERE request_uuid = ? AND ";

    private static final String INSERT_RECORD = "INSERT INTO request_records (request_uuid, caller, endpoint,"
            + " exam_request_uuid, examination_id, name, provider, bucket, result_path, state, webhook_state, accepted_at,"
            + " deadline_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Sql sql;
    private final long defaultTtlSeconds;
    /**
     * Records waiting for the accept group commit (see {@link #handIn}), in the order handed in; also the lock of the
     * fields below it.
     */
    private final List<AcceptedRecords> acceptGroup = new ArrayList<>();
    private boolean acceptCommitting;
    /** How many records were handed in, and how many of the first of them had their group commit end (in order). */
    private volatile long handedIn;
    private volatile long commitEnded;
    /** Writes the records of {@link #queued}: one thread, so each commit takes all that wait. */
    private final ExecutorService recorder = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "state-recorder");
        thread.setDaemon(true);
        return thread;
    });

    public RequestStates(Sql sql, long defaultTtlSeconds) {
        this.sql = sql;
        this.defaultTtlSeconds = defaultTtlSeconds;
    }

    // ---- accept -------------------------------------------------------------------------------------------------

    /** The request's time to live: its Request-TTL-Seconds (1 s to 7 days), or gateway.request.ttl-seconds. */
    public long ttlSeconds(@Header(REQUEST_TTL_HEADER) String header) {
        if (header == null || header.isBlank()) {
            return defaultTtlSeconds;
        }
        // ASCII digits only (Long.parseLong would take other scripts' digits too), at most 7 of them
        if (!DIGITS.matcher(header.strip()).matches()) {
            throw ApiError.invalidHeader(REQUEST_TTL_HEADER, "must be a whole number of seconds.");
        }
        long seconds = Long.parseLong(header.strip());
        if (seconds < 1 || seconds > MAX_TTL_SECONDS) {
            throw ApiError.invalidHeader(REQUEST_TTL_HEADER, "must be between 1 and " + MAX_TTL_SECONDS + " seconds (7 days).");
        }
        return seconds;
    }

    /**
     * Hands in the records of a request's jobs, as queued, before the jobs are queued. After queueing them the caller
     * says {@link #queued}, or {@link #withdrawn} if the queue refused them.
     * <p>
     * A folder's bucket request ({@code examRequestUuid} not null) is committed before this returns, with its exam row
     * in the same transaction, so its completion is judged on all its images or none; if that fails, it is refused
     * (503). The others' records are committed after the answer, by the state-recorder thread: nothing reads or changes
     * request_records before every record handed in is committed (each method below starts with
     * {@link #recordPending}), so a worker taking the job, or the caller's GET right after its answer, finds the record.
     * On the answer's path the record cost the accepting thread ~1 ms of CPU and a place in H2's store lock behind the
     * job threads' commits: accept 1.4-2.2x without it (bench/results/2026-11-29-0412-deferred-record-experiment.md).
     * A record lost to a kill -9 before its commit is written by its job's {@link #start}, from the job.
     * <p>
     * Group commit: the records handed in while another thread is committing wait for it, then the next thread that
     * needs them committed (or the state-recorder) commits all of them in one transaction and one JDBC batch. Each
     * commit of the embedded H2 (WRITE_DELAY=0) writes a new chunk of every changed B-tree page to its file, and
     * PostgreSQL syncs its WAL per commit. If the shared transaction fails, none of its records is written.
     */
    public AcceptedRecords handIn(List<Job> jobs, String examRequestUuid) {
        AcceptedRecords records;
        synchronized (acceptGroup) {
            records = new AcceptedRecords(jobs, examRequestUuid, handedIn + 1);
            acceptGroup.add(records);
            handedIn = records.sequence;
        }
        if (examRequestUuid != null) {
            commitThrough(records.sequence);
            records.rethrowFailure();
        }
        return records;
    }

    /** The jobs of the records handed in are queued: the state-recorder commits them, if not committed yet. */
    public void queued(AcceptedRecords records) {
        if (commitEnded >= records.sequence) {
            return; // a folder's, or taken by another thread's commit already
        }
        try {
            recorder.execute(() -> write(records));
        } catch (RejectedExecutionException stopping) {
            write(records); // the recorder stopped with the gateway: the jobs are queued, their records written here
        }
    }

    private void write(AcceptedRecords records) {
        commitThrough(records.sequence);
        if (records.failure != null) {
            LOG.error("The record of {} queued job(s) could not be written ({}); each job writes it when it starts",
                    records.jobs.size(), records.failure.getMessage());
        }
    }

    /** The queue refused the jobs of the records handed in: their records are forgotten (nobody got their ids). */
    public void withdrawn(AcceptedRecords records) {
        commitThrough(records.sequence);
        if (records.failure != null) {
            return; // never written
        }
        for (Job job : records.jobs) {
            sql.update("DELETE FROM request_records WHERE request_uuid = ?", job.requestUuid());
        }
        if (records.examRequestUuid != null) {
            sql.update("DELETE FROM exam_requests WHERE exam_request_uuid = ?", records.examRequestUuid);
        }
    }

    /** Commits every record handed in so far, if any is still waiting. Cheap when none is (two volatile reads). */
    public void recordPending() {
        long target = handedIn;
        if (commitEnded < target) {
            commitThrough(target);
        }
    }

    /** Stops the state-recorder after committing what it was handed (the gateway's stop; the data source closes next). */
    public void close() {
        recordPending();
        recorder.shutdown();
    }

    /**
     * Returns once the group commit of the record handed in {@code sequence}-th has ended (committed or failed): waits
     * for the commit under way, or commits all that wait. One commit at a time, each of all that wait, so the records
     * whose commit ended are always the first ones handed in.
     */
    private void commitThrough(long sequence) {
        List<AcceptedRecords> group;
        boolean interrupted = false;
        synchronized (acceptGroup) {
            while (acceptCommitting && commitEnded < sequence) {
                try {
                    acceptGroup.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // recorded or not, the committing thread decides: wait for it
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (commitEnded >= sequence) {
                return;
            }
            acceptCommitting = true;
            group = List.copyOf(acceptGroup);
            acceptGroup.clear();
        }
        RuntimeException failure = null;
        try {
            insertAccepted(group);
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("recording the accepted jobs failed", e); // never "recorded" to the others
            throw e;
        } finally {
            synchronized (acceptGroup) {
                for (AcceptedRecords records : group) {
                    records.failure = failure;
                }
                commitEnded = group.get(group.size() - 1).sequence;
                acceptCommitting = false;
                acceptGroup.notifyAll();
            }
        }
    }

    /** One request's records, handed in for the group commit; failure guarded by acceptGroup. */
    public static final class AcceptedRecords {
        final List<Job> jobs;
        final String examRequestUuid;
        final long sequence;
        RuntimeException failure;

        AcceptedRecords(List<Job> jobs, String examRequestUuid, long sequence) {
            this.jobs = jobs;
            this.examRequestUuid = examRequestUuid;
            this.sequence = sequence;
        }

        void rethrowFailure() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void insertAccepted(List<AcceptedRecords> group) {
        try {
            insertInOneTransaction(group);
        } catch (SQLException e) {
            if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new Sql.StateStoreException(e);
            }
            // A job queued before its record was committed was taken by another gateway on the same database, whose
            // start wrote the record from the job. Each request again on its own: an upload's record if absent (that
            // one left as the other gateway wrote it), a folder's records and exam row in one transaction (its jobs
            // were not queued yet, so nobody else can have written them).
            for (AcceptedRecords records : group) {
                if (records.examRequestUuid == null) {
                    for (Job job : records.jobs) {
                        sql.insertIfAbsent(INSERT_RECORD, recordRow(job, null));
                    }
                } else {
                    try {
                        insertInOneTransaction(List.of(records));
                    } catch (SQLException folderFailed) {
                        throw new Sql.StateStoreException(folderFailed);
                    }
                }
            }
        }
    }

    /** The exam rows and records of {@code group} in one transaction, or none of them. */
    private void insertInOneTransaction(List<AcceptedRecords> group) throws SQLException {
        try (Connection connection = sql.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (AcceptedRecords records : group) {
                    if (records.examRequestUuid != null) {
                        insertExam(connection, records);
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORD)) {
                    for (AcceptedRow row : inKeyOrder(group)) {
                        Sql.bind(insert, recordRow(row.job(), row.records().examRequestUuid));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
                sql.committed(connection);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The values of {@link #INSERT_RECORD} for a job as accepted: queued, until its deadline (or the default TTL's). */
    private Object[] recordRow(Job job, String examRequestUuid) {
        long deadlineAt = job.deadlineAt() > 0 ? job.deadlineAt() : job.acceptedAt() + defaultTtlSeconds * 1000;
        return new Object[] {job.requestUuid(), job.caller(), job.endpoint(), examRequestUuid, job.examinationId(),
                job.isUpload() ? job.filename() : job.objectName(), job.source(), job.bucket(), job.resultPath(), QUEUED,
                PENDING, job.acceptedAt(), deadlineAt};
    }

    /** One job of a group commit with the request it came in. */
    private record AcceptedRow(AcceptedRecords records, Job job) {
    }

    /**
     * The group's rows in request_uuid order. The primary key and the by-examination index (caller, examination_id,
     * request_uuid: one caller and exam for a folder's rows) then take them as ascending runs, each insert landing on
     * the B-tree leaf the previous one just copied instead of a random leaf of each. A 10,000-image folder's INSERTs
     * and commit cost the accepting thread 560–730 ms CPU in the listing's (random) order, 360–480 ms sorted (folder
     * bench, 5 folders each). Across requests the ids are time-ordered already (job/RequestUuids).
     */
    private static List<AcceptedRow> inKeyOrder(List<AcceptedRecords> group) {
        List<AcceptedRow> rows = new ArrayList<>();
        for (AcceptedRecords records : group) {
            for (Job job : records.jobs) {
                rows.add(new AcceptedRow(records, job));
            }
        }
        rows.sort(Comparator.comparing(row -> row.job().requestUuid()));
        return rows;
    }

    private static void insertExam(Connection connection, AcceptedRecords records) throws SQLException {
        Job first = records.jobs.get(0);
        try (PreparedStatement exam = connection.prepareStatement("INSERT INTO exam_requests (exam_request_uuid,"
                + " caller, examination_id, webhook_url, images, remaining, completion, accepted_at)"
                + " VALUES (?,?,?,?,?,?,?,?)")) {
            Sql.bind(exam, records.examRequestUuid, first.caller(), first.examinationId(), first.webhookUrl(),
                    records.jobs.size(), records.jobs.size(), ExamCompletion.OPEN, first.acceptedAt());
            exam.executeUpdate();
        }
    }

    // ---- worker -------------------------------------------------------------------------------------------------

    /**
     * A worker takes the job: {@link #RUN} when it may call the model (the record is now {@code running}), else the
     * state it ended in without running: {@code cancelled} (DELETEd while queued) or {@code expired} (still queued
     * past its deadline, recorded now). One UPDATE on the common path, after the records handed in are written. A job
     * without a record (lost to a kill -9 before the state-recorder's commit, still waiting in another gateway's, or
     * purged) gets it now, from the job, and runs; so does the redelivery of a job that already finished (delivery is
     * at least once; its record keeps its final state).
     */
    public String start(@ExchangeProperty(MessageNames.JOB) Job job) {
        recordPending();
        return start(job, true);
    }

    private String start(Job job, boolean firstTry) {
        long now = System.currentTimeMillis();
        if (sql.update("UPDATE request_records SET state = ?, started_at = COALESCE(started_at, ?),"
                + " inference_attempts = inference_attempts + 1 WHERE request_uuid = ? AND (state = ? OR state = ?)"
                + " AND (deadline_at >= ? OR state = ?)", RUNNING, now, job.requestUuid(), QUEUED, RUNNING, now, RUNNING) == 1) {
            return RUN;
        }
        if (sql.update("UPDATE request_records SET state = ?, finished_at = ?, error = ? WHERE request_uuid = ? AND state = ?",
                EXPIRED, now, "still queued at its deadline: not sent to the model", job.requestUuid(), QUEUED) == 1) {
            LOG.info("Job expired in the queue: not sent to the model");
            return EXPIRED;
        }
        String state = stateOf(job.requestUuid());
        if (firstTry && state == null && job.caller() != null && sql.insertIfAbsent(INSERT_RECORD, recordRow(job, null))) {
            // its record was lost to a kill -9 before the state-recorder's commit (or is still waiting in another
            // gateway on the same database): written now, from the job, with the request's own deadline
            LOG.info("Job recorded when it started: its record had not been written");
            return start(job, false);
        }
        if (firstTry && QUEUED.equals(state)) {
            return start(job, false); // another gateway's state-recorder wrote it between the UPDATEs above
        }
        return CANCELLED.equals(state) || EXPIRED.equals(state) ? state : RUN;
    }

    /** The job completed: its result is written (when asked) and its envelope about to be announced. */
    public void completed(@ExchangeProperty(MessageNames.JOB) Job job) {
        finished(job.requestUuid(), COMPLETED, job.resultPath(), null);
    }

    /** The job failed for good, for {@code reason} (its error envelope's "error"). */
    public void failed(@ExchangeProperty(MessageNames.JOB) Job job, @ExchangeProperty(MessageNames.FAILURE_REASON) String reason) {
        finished(job.requestUuid(), ERROR, null, reason == null ? null : truncate(reason, 2000));
    }

    private void finished(String requestUuid, String state, String resultPath, String error) {
        recordPending();
        sql.update("UPDATE request_records SET state = ?, finished_at = ?, result_path = ?, error = ?"
                + " WHERE request_uuid = ? AND (state = ? OR state = ?)",
                state, System.currentTimeMillis(), resultPath, error, requestUuid, QUEUED, RUNNING);
    }

    // ---- delivery -----------------------------------------------------------------------------------------------

    /**
     * The webhook took the envelope (2xx) at this attempt. Whether its exam folder may be complete now (false when the
     * record is known to be of no folder: then there is no exam to look at, see ExamCompletion.claimAfter).
     */
    public boolean delivered(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery) {
        return webhookOutcome(delivery, DELIVERED);
    }

    /**
     * The envelope failed for good and waits in the dead-letter queue (a replay that succeeds makes it delivered).
     * Whether its exam folder may be complete now, as {@link #delivered}.
     */
    public boolean deadLettered(@ExchangeProperty(MessageNames.DELIVERY) Delivery delivery) {
        return webhookOutcome(delivery, DEAD_LETTERED);
    }

    /**
     * The envelope's first outcome (from {@code pending}) also counts down its exam's images still awaiting one, in the
     * same transaction: the exam is complete when that count reaches 0 (ExamCompletion), judged on one row, not on
     * all its images. A repeated outcome (redelivery) counts nothing; a replayed dead letter becomes delivered.
     * A delivery known to be of no folder (an upload: the common case) has no countdown to keep: its outcome is one
     * UPDATE in auto-commit, sparing the transaction's second UPDATE (which only learnt that there is no exam).
     */
    private boolean webhookOutcome(Delivery delivery, String outcome) {
        recordPending();
        long now = System.currentTimeMillis();
        Long deliveredAt = DELIVERED.equals(outcome) ? now : null;
        // the states this outcome may replace: the first outcome's pending, and for delivered a replayed dead letter
        String replaced = DELIVERED.equals(outcome) ? DEAD_LETTERED : PENDING;
        if (delivery.noFolder()) {
            sql.update(SET_WEBHOOK_OUTCOME + "(webhook_state = ? OR webhook_state = ?)", outcome, delivery.attempt(),
                    deliveredAt, delivery.requestUuid(), PENDING, replaced);
            return false;
        }
        // the first outcome of a record of no folder is the one answer known to be false, which spares each such
        // delivery the exam completion's UPDATE
        boolean[] ofNoFolder = {false};
        sql.inTransaction(transaction -> {
            if (transaction.update(SET_WEBHOOK_OUTCOME + "webhook_state = ?", outcome, delivery.attempt(), deliveredAt,
                    delivery.requestUuid(), PENDING) == 1) {
                ofNoFolder[0] = transaction.update("UPDATE exam_requests SET remaining = remaining - 1 WHERE exam_request_uuid ="
                        + " (SELECT exam_request_uuid FROM request_records WHERE request_uuid = ?)", delivery.requestUuid()) == 0;
            } else if (DELIVERED.equals(outcome)) {
                transaction.update(SET_WEBHOOK_OUTCOME + "webhook_state = ?", DELIVERED, delivery.attempt(), now,
                        delivery.requestUuid(), DEAD_LETTERED);
            }
        });
        return !ofNoFolder[0];
    }

    // ---- API ----------------------------------------------------------------------------------------------------

    /** GET /requests/{request_uuid}: the caller's record, or 404. */
    public RequestRecord record(@Header("request_uuid") String requestUuid, @ExchangeProperty(MessageNames.CALLER) String caller) {
        recordPending();
        return sql.one("SELECT " + RequestRecord.COLUMNS + " FROM request_records WHERE request_uuid = ? AND caller = ?",
                RequestRecord::of, validUuid(requestUuid), caller).orElseThrow(() -> unknown(requestUuid));
    }

    /**
     * DELETE /requests/{request_uuid}: a job that has not started is cancelled (the worker skips it and announces it
     * cancelled); 409 when it has started or ended, 404 when the caller has no such request. The answer is the record.
     */
    public RequestRecord cancel(@Header("request_uuid") String requestUuid, @ExchangeProperty(MessageNames.CALLER) String caller) {
        recordPending();
        String id = validUuid(requestUuid);
        int cancelled = sql.update("UPDATE request_records SET state = ?, finished_at = ?, error = ? WHERE request_uuid = ?"
                + " AND caller = ? AND state = ?", CANCELLED, System.currentTimeMillis(), "cancelled by the caller", id, caller, QUEUED);
        RequestRecord record = record(id, caller);
        if (cancelled == 0) {
            throw new ApiError(409, "not_cancellable", "The request " + id + " is " + record.state()
                    + ": only a queued request can be cancelled.");
        }
        LOG.info("Request {} cancelled by caller {}", id, caller);
        return record;
    }

    /** GET /examinations/{examination_id}?limit=&after=: counts per state over all its images, one page of them. */
    public ExamProgress examination(@Header("examination_id") String examinationId, @Header("limit") String limit,
            @Header("after") String after, @ExchangeProperty(MessageNames.CALLER) String caller) {
        recordPending();
        String id = validExaminationId(examinationId);
        int pageSize = pageSize(limit);
        String cursor = after == null || after.isEmpty() ? "" : validParameter("after", after);
        Map<String, Long> counts = new LinkedHashMap<>();
        sql.list("SELECT state, COUNT(*) AS n FROM request_records WHERE caller = ? AND examination_id = ? GROUP BY state"
                + " ORDER BY state", row -> counts.put(row.getString("state"), row.getLong("n")), caller, id);
        if (counts.isEmpty()) {
            throw new ApiError(404, "not_found", "No request of this caller has the examination id " + id + ".");
        }
        List<ExamProgress.Image> page = sql.list("SELECT request_uuid, name, state, result_path, error FROM request_records"
                + " WHERE caller = ? AND examination_id = ? AND request_uuid > ? ORDER BY request_uuid LIMIT ?",
                ExamCompletion::image, caller, id, cursor, pageSize + 1);
        String next = null;
        if (page.size() > pageSize) {
            page = page.subList(0, pageSize);
            next = page.get(pageSize - 1).requestUuid();
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new ExamProgress(id, total, counts, page, next);
    }

    // ---- operations ---------------------------------------------------------------------------------------------

    /** Records per state, every state present (zeros included), for the gauges. */
    public Map<String, Long> countsByState() {
        recordPending();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String state : List.of(QUEUED, RUNNING, COMPLETED, ERROR, CANCELLED, EXPIRED)) {
            counts.put(state, 0L);
        }
        sql.list("SELECT state, COUNT(*) AS n FROM request_records GROUP BY state",
                row -> counts.put(row.getString("state"), row.getLong("n")));
        return counts;
    }

    /** Deletes records, exam rows and idempotency keys accepted before {@code before} (epoch millis); rows deleted. */
    public int purge(long before) {
        recordPending();
        int deleted = sql.update("DELETE FROM request_records WHERE accepted_at < ?", before);
        deleted += sql.update("DELETE FROM exam_requests WHERE accepted_at < ?", before);
        return deleted;
    }

    private String stateOf(String requestUuid) {
        return sql.one("SELECT state FROM request_records WHERE request_uuid = ?", row -> row.getString(1), requestUuid).orElse(null);
    }

    private static int pageSize(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_PAGE;
        }
        if (DIGITS.matcher(limit).matches()) {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= MAX_PAGE) {
                return size;
            }
        }
        throw new ApiError(400, "invalid_parameter", "The limit parameter must be a whole number from 1 to " + MAX_PAGE + ".");
    }

    static String validUuid(String requestUuid) {
        if (requestUuid == null || !UUID.matcher(requestUuid).matches()) {
            throw new ApiError(400, "invalid_parameter", "The request_uuid in the path must be a request_uuid the gateway "
                    + "answered (a lower-case UUID).");
        }
        return requestUuid;
    }

    private static String validExaminationId(String examinationId) {
        try {
            // the path parameter arrives as written in the URL: percent-decoded here ('+' is itself in a path)
            String decoded = examinationId == null ? null
                    : URLDecoder.decode(examinationId.replace("+", "%2B"), StandardCharsets.UTF_8);
            String id = ExaminationId.validate(decoded);
            if (id != null) {
                return id;
            }
        } catch (ApiError | IllegalArgumentException e) {
            // answered below, naming the path parameter rather than the header
        }
        throw new ApiError(400, "invalid_parameter", "The examination_id in the path must be 1 to " + ExaminationId.MAX_LENGTH
                + " printable ASCII characters.");
    }

    private static String validParameter(String name, String value) {
        if (value.length() > 36 || !UUID.matcher(value).matches()) {
            throw new ApiError(400, "invalid_parameter", "The " + name + " parameter must be a request_uuid (the next_after of the"
                    + " previous page).");
        }
        return value;
    }

    private static ApiError unknown(String requestUuid) {
        return new ApiError(404, "not_found", "No request " + requestUuid + " is known for this caller.");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
