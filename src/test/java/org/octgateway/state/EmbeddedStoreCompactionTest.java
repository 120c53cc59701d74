package org.octgateway.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file stops growing once compaction runs, on the file StateConfiguration opens, with an upload job's
 * four commits (RequestStates, as the pipeline writes them: StateStoreBench.oneJob) from several threads. The retention time is cut to
 * 300 ms here (5 s in the gateway: StateConfiguration) so that freed space is reused within the test.
 */
class EmbeddedStoreCompactionTest {

    private static final int THREADS = 8;
    private static final int JOBS = 4_000;
    private static final int RETENTION_MS = 300;

    @TempDir
    Path withCompaction;
    @TempDir
    Path without;

    @Test
    void theFileLevelsOffWhileJobsRunWhenCompacted() throws Exception {
        long[] compacted = growth(withCompaction, true);
        long[] left = growth(without, false);
        System.out.printf("H2 file after %d jobs, then %d more, then %d more: compacted %s, not compacted %s bytes%n",
                JOBS, JOBS, JOBS, java.util.Arrays.toString(compacted), java.util.Arrays.toString(left));
        // without compaction every commit leaves a chunk behind (~17 KB per job): the last 4,000 jobs add tens of MB
        assertTrue(left[2] - left[1] > 30_000_000, "the file without compaction grew only " + (left[2] - left[1]));
        // with it, the space of the chunks emptied earlier is reused: the last 4,000 jobs add a small fraction of that
        assertTrue(compacted[2] - compacted[1] < (left[2] - left[1]) / 5,
                "the compacted file still grew " + (compacted[2] - compacted[1]) + " bytes in 4,000 jobs");
    }

    /** The file's size after each of three rounds of JOBS jobs. */
    private static long[] growth(Path dir, boolean compact) throws Exception {
        StateConfiguration configuration = new StateConfiguration();
        try (HikariDataSource db = StateStoreBench.migratedStore(configuration, "", dir)) {
            RequestStates states = new RequestStates(configuration.stateSql(db, ""), 3600);
            EmbeddedStoreCompaction compaction = new EmbeddedStoreCompaction(db, 80, 4 << 20, RETENTION_MS);
            long[] sizes = new long[3];
            for (int round = 0; round < sizes.length; round++) {
                runJobs(states, compact ? compaction : null);
                sizes[round] = StateStoreBench.size(dir);
            }
            return sizes;
        }
    }

    /** JOBS jobs on THREADS threads; compaction (when given) every 50 ms meanwhile, as the route does every second. */
    private static void runJobs(RequestStates states, EmbeddedStoreCompaction compaction) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
        // stopped by a flag, never interrupted: an interrupt during H2's file I/O closes its channel
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(threads.submit(() -> {
                    for (int i = 0; i < JOBS / THREADS; i++) {
                        StateStoreBench.oneJob(states);
                    }
                }));
            }
            Future<?> compactor = compaction == null ? null : threads.submit(() -> {
                while (running.get()) {
                    compaction.compact(25);
                    Thread.sleep(50);
                }
                return null;
            });
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            running.set(false);
            if (compactor != null) {
                compactor.get(60, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
