package org.octgateway.state;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import com.zaxxer.hikari.HikariDataSource;
import org.octgateway.job.Delivery;
import org.octgateway.job.Job;
import org.octgateway.job.RequestUuids;

/**
 * kill -9 of a process writing the state store, then a check of what the file kept: every job step whose commit had
 * returned must be there. The child runs upload jobs' four commits (RequestStates, as StateStoreBench) on N threads,
 * with the gateway's compaction every second, and prints each step once its call returned; the parent kills it after a
 * random 4–16 s, opens the file as the restarted gateway would, and counts the steps it lacks. A bench, not a test
 * (KilledStateStoreTest is the test); run it from the worktree:
 * <pre>
 *   mvn -B -q test-compile dependency:build-classpath -o -Dmdep.outputFile=target/bench-cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/bench-cp.txt) org.octgateway.state.StateStoreKillBench
 * </pre>
 * System properties: bench.rounds (10), bench.threads (8), bench.header-step=false (leaves out EmbeddedStoreHeader:
 * 3 of 8 rounds then lost 3–6 jobs' returned steps; with it, 0 of 8).
 */
public final class StateStoreKillBench {

    /** The steps of a job, in the order its commits return, as the record shows them (state/webhook_state). */
    private static final List<String> STEPS = List.of("queued/pending", "running/pending", "completed/pending", "completed/delivered");

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(Path.of(args[1]));
            return;
        }
        int rounds = Integer.getInteger("bench.rounds", 10);
        Random random = new Random();
        int lossyRounds = 0;
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("state-kill");
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), "-Dbench.threads=" + Integer.getInteger("bench.threads", 8),
                    "-Dbench.header-step=" + System.getProperty("bench.header-step", "true"),
                    StateStoreKillBench.class.getName(), "child", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Map<String, Integer> returned = new ConcurrentHashMap<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        String[] uuidAndStep = line.split(" ");
                        if (uuidAndStep.length == 2 && uuidAndStep[1].matches("[0-3]")) { // not a log line
                            returned.merge(uuidAndStep[0], Integer.parseInt(uuidAndStep[1]), Math::max);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the child is gone
                }
            });
            reader.start();
            long killAfter = 4_000 + random.nextInt(12_000);
            Thread.sleep(killAfter);
            child.destroyForcibly().waitFor();
            reader.join();
            Map<String, String> kept = kept(dir);
            int lost = 0;
            for (Map.Entry<String, Integer> step : returned.entrySet()) {
                String found = kept.get(step.getKey());
                if (found == null || STEPS.indexOf(found) < step.getValue()) {
                    lost++;
                }
            }
            System.out.printf("round %d: killed after %d ms; %d jobs had a step return; %d of them lack it in the file%n",
                    round, killAfter, returned.size(), lost);
            lossyRounds += lost > 0 ? 1 : 0;
            delete(dir);
        }
        System.out.printf("RESULT header-step=%s: %d of %d rounds lost steps whose commit had returned%n",
                System.getProperty("bench.header-step", "true"), lossyRounds, rounds);
    }

    /** Runs jobs until killed, printing "request_uuid step" once each step's commit returned. */
    private static void child(Path dir) throws Exception {
        StateConfiguration configuration = new StateConfiguration();
        HikariDataSource db = StateStoreBench.migratedStore(configuration, "", dir);
        RequestStates states = new RequestStates(Boolean.parseBoolean(System.getProperty("bench.header-step", "true"))
                ? configuration.stateSql(db, "") : new Sql(db), 3600);
        EmbeddedStoreCompaction compaction = configuration.embeddedStoreCompaction(db);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        Thread compactor = new Thread(() -> {
            while (true) {
                try {
                    compaction.compact(250);
                    Thread.sleep(1000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        compactor.setDaemon(true);
        compactor.start();
        for (int t = 0; t < Integer.getInteger("bench.threads", 8); t++) {
            new Thread(() -> {
                while (true) {
                    Job job = new Job(RequestUuids.next(), "invocations", Job.UPLOAD, null, null, "scan-0001.png",
                            "bench-upload", "http://127.0.0.1:9/hook", null, null, null, System.currentTimeMillis())
                            .accepted("anonymous", 3600);
                    states.handIn(List.of(job), null);
                    states.recordPending(); // committed here, where the gateway's state-recorder would
                    returned(out, job, 0);
                    states.start(job);
                    returned(out, job, 1);
                    states.completed(job);
                    returned(out, job, 2);
                    states.delivered(Delivery.firstAttemptOf(job));
                    returned(out, job, 3);
                }
            }).start();
        }
    }

    private static void returned(PrintStream out, Job job, int step) {
        synchronized (out) {
            out.println(job.requestUuid() + " " + step);
            out.flush();
        }
    }

    /** Each record's state/webhook_state in the file, opened as the gateway opens it after a restart. */
    private static Map<String, String> kept(Path dir) throws Exception {
        Map<String, String> kept = new HashMap<>();
        try (HikariDataSource db = new StateConfiguration().stateDataSource("", null, null, "", dir.toString(), 4, 4, 16, "");
                Connection connection = db.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT request_uuid, state, webhook_state FROM request_records");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                kept.put(rows.getString(1), rows.getString(2) + "/" + rows.getString(3));
            }
        }
        return kept;
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
