package org.octgateway.state;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.octgateway.contract.ApiError;
import org.octgateway.job.Job;
import org.octgateway.job.RequestUuids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An upload's record is handed in before its job is queued and written by the state-recorder after the answer
 * (RequestStates#handIn), on the gateway's own embedded H2: whoever reads or changes records after the hand-in sees it,
 * a queue refusal leaves none, and a record that a kill -9 lost before its commit is written by the job's start.
 */
class RecordsOffTheAnswerPathTest {

    private static final long TTL_SECONDS = 60;
    private static final String CALLER = "clinic-a";

    @TempDir
    Path dataDir;
    private HikariDataSource db;
    private RequestStates states;

    @BeforeEach
    void openTheStore() {
        StateConfiguration configuration = new StateConfiguration();
        db = StateStoreBench.migratedStore(configuration, "", dataDir);
        states = new RequestStates(configuration.stateSql(db, ""), 3600);
    }

    @AfterEach
    void closeTheStore() {
        states.close();
        db.close();
    }

    @Test
    void aRecordHandedInIsReadAsQueuedWithItsOwnDeadlineBeforeTheRecorderWroteIt() {
        Job job = upload();
        states.handIn(List.of(job), null); // queued() not called: only the read can write it
        RequestRecord record = states.record(job.requestUuid(), CALLER);
        assertEquals(RequestStates.QUEUED, record.state());
        assertEquals(TTL_SECONDS, Duration.between(Instant.parse(record.acceptedAt()), Instant.parse(record.deadlineAt())).toSeconds());
    }

    @Test
    void theRecorderWritesWhatWasHandedInWithoutAReader() throws Exception {
        Job job = upload();
        states.queued(states.handIn(List.of(job), null));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (countRecords(job) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, countRecords(job), "written by the state-recorder within 5 s");
    }

    @Test
    void theRecordsOfJobsTheQueueRefusedAreForgotten() {
        Job job = upload();
        states.withdrawn(states.handIn(List.of(job), null));
        ApiError unknown = assertThrows(ApiError.class, () -> states.record(job.requestUuid(), CALLER));
        assertEquals(404, unknown.httpStatus());
    }

    @Test
    void aJobWhoseRecordAKillLostIsRecordedWhenItStartsWithItsRequestsDeadlineAndRunsOnce() {
        Job job = upload(); // queued, its record never written (the gateway was killed before the recorder's commit)
        assertEquals(RequestStates.RUN, states.start(job));
        states.completed(job);
        RequestRecord record = states.record(job.requestUuid(), CALLER);
        assertEquals(RequestStates.COMPLETED, record.state());
        assertEquals(1, record.inferenceAttempts());
        assertEquals(job.acceptedAt(), Instant.parse(record.acceptedAt()).toEpochMilli());
        assertEquals(job.acceptedAt() + TTL_SECONDS * 1000, Instant.parse(record.deadlineAt()).toEpochMilli(),
                "the request's TTL, not the gateway's default (3600 s here)");
    }

    @Test
    void aJobWhoseRecordAKillLostExpiresWhenItStartsPastItsRequestsDeadline() {
        // accepted two minutes ago with a TTL of 60 s, its record lost; the gateway's default TTL would still run it
        Job job = new Job(RequestUuids.next(), "invocations", Job.UPLOAD, null, null, "scan.png", "exam-1",
                "https://clinic.example/hook", null, null, null, System.currentTimeMillis() - 120_000).accepted(CALLER, TTL_SECONDS);
        assertEquals(RequestStates.EXPIRED, states.start(job));
        assertEquals(RequestStates.EXPIRED, states.record(job.requestUuid(), CALLER).state());
    }

    @Test
    void aFolderIsRecordedWhenAnotherGatewayWroteTheRecordOfAnUploadWaitingInTheSameCommit() {
        // two gateways on one database: this one handed in an upload's record and queued its job; the other one's
        // worker took the job first and wrote the record from it, before this one's commit
        RequestStates otherGateway = new RequestStates(new StateConfiguration().stateSql(db, ""), 3600);
        Job upload = upload();
        states.handIn(List.of(upload), null);
        assertEquals(RequestStates.RUN, otherGateway.start(upload));
        otherGateway.close();

        // the next folder's records are committed with the upload's waiting one: the folder is accepted all the same
        List<Job> folder = List.of(folderImage("exam/a.png"), folderImage("exam/b.png"));
        states.handIn(folder, RequestUuids.next());
        for (Job image : folder) {
            assertEquals(RequestStates.QUEUED, states.record(image.requestUuid(), CALLER).state());
        }
        assertEquals(RequestStates.RUNNING, states.record(upload.requestUuid(), CALLER).state(), "the other's, left as it is");
    }

    private static Job folderImage(String objectName) {
        return new Job(RequestUuids.next(), "bucket_invocations", "local", "oct-input", objectName, objectName, "exam-2",
                "https://clinic.example/hook", null, null, null, System.currentTimeMillis()).accepted(CALLER, TTL_SECONDS);
    }

    private static Job upload() {
        return new Job(RequestUuids.next(), "invocations", Job.UPLOAD, null, null, "scan.png", "exam-1",
                "https://clinic.example/hook", null, null, null, System.currentTimeMillis()).accepted(CALLER, TTL_SECONDS);
    }

    private long countRecords(Job job) throws Exception {
        try (var connection = db.getConnection();
             var query = connection.prepareStatement("SELECT COUNT(*) FROM request_records WHERE request_uuid = ?")) {
            query.setString(1, job.requestUuid());
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
