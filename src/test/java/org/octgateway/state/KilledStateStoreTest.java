package org.octgateway.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.octgateway.job.Job;

/**
 * What a kill -9 leaves of the embedded H2 file holds every commit that had returned, also once H2 reuses the space
 * of freed chunks. A kill -9 leaves the file as the OS has it: with WRITE_DELAY=0 H2 holds back no write, so a copy of
 * the file taken right after a commit returned is that file; opening the copy runs H2's recovery after an unclean stop.
 * <p>
 * Without EmbeddedStoreHeader the copy often lacked the newest commits: H2 2.5 pointed its store header at the chunk
 * before one it had put in reused space: 53 of the 60 copies lacked the job's last commit (StateStoreKillBench does a
 * real kill -9 at random moments: 3 of 8 kills lost steps that had returned). The retention time is cut to 300 ms (5 s in the gateway) so that space
 * is reused within the test.
 */
class KilledStateStoreTest {

    private static final int RETENTION_MS = 300;
    /** Jobs run before the first copy: the file has freed chunks whose space H2 reuses by then. */
    private static final int WARM_UP_JOBS = 1_500;
    private static final int COPIES = 60;

    @TempDir
    Path dataDir;
    @TempDir
    Path copies;

    @Test
    void everyCommitThatReturnedIsInTheFileAKillLeaves() throws Exception {
        StateConfiguration configuration = new StateConfiguration();
        try (HikariDataSource db = StateStoreBench.migratedStore(configuration, "", dataDir)) {
            RequestStates states = new RequestStates(configuration.stateSql(db, ""), 3600);
            EmbeddedStoreCompaction compaction = new EmbeddedStoreCompaction(db, 80, 4 << 20, RETENTION_MS);
            long compactedAt = 0;
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < WARM_UP_JOBS + COPIES; i++) {
                if (System.nanoTime() - compactedAt > 50_000_000L) {
                    compaction.compact(25);
                    compactedAt = System.nanoTime();
                }
                Job job = StateStoreBench.oneJob(states);
                if (i >= WARM_UP_JOBS) {
                    String found = stateAfterKill(i, job);
                    if (!"completed/delivered".equals(found)) {
                        lost.add(job.requestUuid() + " " + found);
                    }
                }
            }
            assertEquals(List.of(), lost, "jobs whose last commit returned (completed/delivered), as a kill -9 left them");
        }
    }

    /** The job's state/webhook_state in a copy of the file as it is now, opened as after an unclean stop. */
    private String stateAfterKill(int copy, Job job) throws Exception {
        Path dir = Files.createDirectories(copies.resolve("copy-" + copy));
        Files.copy(dataDir.resolve("state").resolve("gateway.mv.db"), dir.resolve("gateway.mv.db"));
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("gateway"));
                PreparedStatement query = connection.prepareStatement(
                        "SELECT state, webhook_state FROM request_records WHERE request_uuid = ?")) {
            query.setString(1, job.requestUuid());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) + "/" + row.getString(2) : "no record";
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
