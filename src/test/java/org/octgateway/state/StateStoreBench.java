package org.octgateway.state;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.octgateway.job.Delivery;
import org.octgateway.job.Job;
import org.octgateway.job.RequestUuids;

/**
 * The state store alone, without the gateway and the JIT's noise around it: N threads run an upload job's state
 * writes (accept INSERT, start, completed, delivered: the pipeline's four commits) through the real RequestStates on
 * the pool StateConfiguration builds and the Flyway migrations, and it prints CPU ms per job and the H2 file's growth
 * per job. A bench, not a test (no *Test name: neither surefire nor failsafe runs it). Run it from the worktree:
 * <pre>
 *   mvn -B -q test-compile dependency:build-classpath -o -Dmdep.outputFile=target/bench-cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/bench-cp.txt) org.octgateway.state.StateStoreBench
 * </pre>
 * System properties: bench.threads (16), bench.warmup (50000), bench.jobs (20000), bench.dir (a new temporary
 * directory), bench.url (a JDBC URL instead of the embedded H2 the gateway builds, e.g. to try H2 settings; ${dir} is
 * replaced by bench.dir), bench.sql (statements, separated by ;;, or @FILE holding them, run after the migrations, e.g. to try a schema change).
 * bench.header-step=false leaves out EmbeddedStoreHeader's step after each commit (not kill -9 safe; to measure it).
 * bench.compact-every-ms (0: off) runs the gateway's EmbeddedStoreCompaction that often, with bench.compact-fill
 * (target fill rate, percent, 80), bench.compact-write (bytes per round, 4 MB), bench.compact-budget-ms (250) and
 * bench.compact-retention-ms (5000); bench.rate paces the jobs (jobs/s in all), bench.report-every-ms prints the file's
 * size meanwhile. It also prints H2's own counters (STORE: chunk
 * count, fill rates, file size).
 */
public final class StateStoreBench {

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("bench.threads", 16);
        int warmup = Integer.getInteger("bench.warmup", 50_000);
        int jobs = Integer.getInteger("bench.jobs", 20_000);
        String url = System.getProperty("bench.url", "");
        Path dir = System.getProperty("bench.dir") == null ? Files.createTempDirectory("state-bench")
                : Path.of(System.getProperty("bench.dir"));
        if (!url.isBlank()) {
            url = url.replace("${dir}", dir.toString());
        }
        StateConfiguration configuration = new StateConfiguration();
        try (HikariDataSource db = migratedStore(configuration, url, dir)) {
            String extra = System.getProperty("bench.sql", "");
            if (extra.startsWith("@")) {
                extra = Files.readString(Path.of(extra.substring(1))).strip();
            }
            if (!extra.isBlank()) {
                try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
                    for (String sql : extra.split(";;")) {
                        statement.execute(sql);
                    }
                }
            }
            // bench.header-step=false leaves out the embedded store's header step (EmbeddedStoreHeader), to measure its cost
            RequestStates states = new RequestStates(Boolean.parseBoolean(System.getProperty("bench.header-step", "true"))
                    ? configuration.stateSql(db, url) : new Sql(db), 3600);
            compactEvery(new EmbeddedStoreCompaction(db, Integer.getInteger("bench.compact-fill", 80),
                    Integer.getInteger("bench.compact-write", 4 << 20), Integer.getInteger("bench.compact-retention-ms", 5000)), Integer.getInteger("bench.compact-every-ms", 0));
            report(dir, Integer.getInteger("bench.report-every-ms", 0));
            run(states, threads, warmup);
            System.gc();
            Thread.sleep(1000);
            long fileBefore = size(dir);
            long writtenBefore = writtenBytes();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long processBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            long workerCpu = run(states, threads, jobs);
            long wall = System.nanoTime() - wallBefore;
            long process = os.getProcessCpuTime() - processBefore;
            long fileGrowth = size(dir) - fileBefore;
            long written = writtenBytes() - writtenBefore;
            System.out.printf("RESULT url=%s sql=%s threads=%d warmup=%d jobs=%d: process CPU %.3f ms/job, worker threads"
                    + " CPU %.3f ms/job, wall %.1f s (%.0f jobs/s), file growth %.0f B/job, written %.0f B/job%n",
                    url.isBlank() ? "(gateway default)" : url, extra, threads, warmup, jobs, process / 1e6 / jobs,
                    workerCpu / 1e6 / jobs, wall / 1e9, jobs / (wall / 1e9), (double) fileGrowth / jobs, (double) written / jobs);
            // H2's own view of its file: chunk count and fill rates (with WRITE_DELAY=0 H2 runs no background housekeeping)
            try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
                    var rows = statement.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                            + " WHERE SETTING_NAME LIKE 'info.%'")) {
                StringBuilder info = new StringBuilder("STORE");
                while (rows.next()) {
                    info.append(' ').append(rows.getString(1).substring(5)).append('=').append(rows.getString(2));
                }
                System.out.println(info);
            } catch (java.sql.SQLException e) {
                System.out.println("STORE (not H2: " + e.getMessage() + ")");
            }
        }
    }

    /** Compacts on a daemon thread, every {@code millis} (not at all when 0), as the gateway's timer route does. */
    private static void compactEvery(EmbeddedStoreCompaction compaction, int millis) {
        if (millis <= 0) {
            return;
        }
        Thread compactor = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(millis);
                    compaction.compact(Integer.getInteger("bench.compact-budget-ms", 250));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.sql.SQLException e) {
                // the pool closed: the bench is over
            }
        }, "bench-compactor");
        compactor.setDaemon(true);
        compactor.start();
    }

    /** Prints the file's size every {@code millis} (not at all when 0). */
    private static void report(Path dir, int millis) {
        if (millis <= 0) {
            return;
        }
        long start = System.nanoTime();
        Thread reporter = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(millis);
                    System.out.printf("SIZE %.0f s: %.1f MB, %d jobs%n", (System.nanoTime() - start) / 1e9, size(dir) / 1e6, DONE.get());
                }
            } catch (InterruptedException | IOException e) {
                // over
            }
        }, "bench-reporter");
        reporter.setDaemon(true);
        reporter.start();
    }

    private static final AtomicLong DONE = new AtomicLong();
    /** bench.rate: jobs per second in all (0: as fast as the threads go), as a gateway's steady load. */
    private static final int RATE = Integer.getInteger("bench.rate", 0);
    private static final long PACE_START = System.nanoTime();

    /** Runs {@code jobs} jobs on {@code threads} threads; the CPU (ns) the threads used. */
    private static long run(RequestStates states, int threads, int jobs) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong cpu = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (next.getAndIncrement() < jobs) {
                        if (RATE > 0) { // paced: job n starts no earlier than n / rate seconds after the first
                            long due = PACE_START + DONE.get() * 1_000_000_000L / RATE;
                            java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                        }
                        oneJob(states);
                        DONE.incrementAndGet();
                    }
                } finally {
                    cpu.addAndGet(threadBean.getCurrentThreadCpuTime());
                    done.countDown();
                }
            }, "bench-" + t);
            thread.start();
        }
        done.await();
        return cpu.get();
    }

    /**
     * The state store StateConfiguration opens (the embedded H2 file under {@code dataDir} when {@code url} is empty),
     * with the gateway's default pool (4 workers, 4 jobs ahead, 16 webhook deliveries), migrated.
     */
    static HikariDataSource migratedStore(StateConfiguration configuration, String url, Path dataDir) {
        HikariDataSource db = configuration.stateDataSource(url, null, null, "", dataDir.toString(), 4, 4, 16, "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        return db;
    }

    /** An upload's job, as Acceptance, the worker and the delivery route write its record (EmbeddedStoreCompactionTest too). */
    static Job oneJob(RequestStates states) {
        Job job = new Job(RequestUuids.next(), "invocations", Job.UPLOAD, null, null, "scan-0001.png", "bench-upload",
                "http://127.0.0.1:9/hook", null, null, null, System.currentTimeMillis()).accepted("anonymous", 3600);
        states.handIn(List.of(job), null);
        states.recordPending(); // committed here, where the gateway's state-recorder would
        if (!RequestStates.RUN.equals(states.start(job))) {
            throw new IllegalStateException("not started");
        }
        states.completed(job);
        states.delivered(Delivery.firstAttemptOf(job));
        return job;
    }

    /** The bytes of every file under {@code dir}. */
    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
    }

    /** Bytes this process wrote (write syscalls), from /proc/self/io. */
    private static long writtenBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).strip());
            }
        }
        return -1;
    }
}
