import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The side-by-side benchmark (bench/README.md): the gateway against the design it replaces (bench/seed/app.py,
 * FastAPI + BackgroundTasks, 2 uvicorn workers), driven by the same load generator (hey) against the same peers:
 * an inference stub with a configurable delay and model slots, and a webhook sink that counts POSTs and distinct
 * webhook-ids. Both stubs are JDK HTTP servers in this process, on loopback. Prints every row as gateway/seed ratios
 * and writes bench/results/latest.md. Starts its own children (the seed, the gateway) and stops only those.
 */
public class SideBySide {

    // options (see bench/README.md)
    static int pings = 3000;
    static int uploads = 2000;
    static int concurrency = 16;
    static int warmPings = 1000;
    // uploads per warm-up batch; batches go on until the JIT has settled (see warmUp)
    static int warmUploads = 2000;
    /** At most this many bursts warm the accept path alone up before its row's burst (acceptAloneRow). */
    static final int ALONE_WARM_BURSTS = 4;
    /** Pings that warm the /ping reference server up before its row (its JIT compiles the answer within them). */
    static final int BARE_SERVER_WARM_PINGS = 20000;
    static double jitSettledMs = 0.1;
    static int maxWarmUploads = 70000;
    static int modelMs = 50;
    static int modelSlots = 16;
    static int[] folders = {1000, 10000};
    static Path jar = Paths.get("target/oct-inference-gateway.jar");
    static Path out = Paths.get("bench/results/latest.md");
    static List<String> gatewayJvmOpts = new ArrayList<>();
    static boolean keep;
    static boolean skipSeed;
    static Map<String, String> gatewayEnv = new LinkedHashMap<>();

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern UUID_RE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static Path work;
    static Path uploadBody;
    static String uploadContentType;
    static InferenceStub model;
    static WebhookSink sink;
    static final List<String> loads = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        parse(args);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run bench/run.sh, which builds it");
        }
        work = Files.createTempDirectory("side-by-side-");
        prepareUpload(Paths.get("samples/oct-scan-512x496.png"));
        model = new InferenceStub(freePort());
        sink = new WebhookSink(freePort());
        load("start");
        Map<String, String> seed;
        Map<String, String> gateway;
        try {
            seed = skipSeed ? new LinkedHashMap<>() : measureSeed();
            gateway = measureGateway();
            if (!skipSeed) {
                seed.putAll(measureSeedAgain());
            }
        } finally {
            model.stop();
            sink.stop();
        }
        load("end");
        String report = report(seed, gateway);
        System.out.println();
        System.out.println(report);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        log("written to " + out);
        if (!keep) {
            deleteTree(work);
        } else {
            log("kept " + work);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The two systems

    static Child startSeed(String name) throws Exception {
        int port = freePort();
        List<String> cmd = List.of("/usr/bin/python3", "-m", "uvicorn", "app:app", "--workers", "2", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--log-level", "warning", "--no-access-log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Paths.get("bench/seed").toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().put("SEED_INFERENCE_URL", model.url());
        return Child.start(name, pb, "http://127.0.0.1:" + port);
    }

    /**
     * The seed's instant-model row once more, after the gateway's rows: the same code measured twice in one run, minutes
     * apart. This machine's speed drifts (one gateway build gave 956 and 609 accepted/s in two runs of one session):
     * a ratio is only as good as the two seed values around it agree.
     */
    static Map<String, String> measureSeedAgain() throws Exception {
        Map<String, String> r = new LinkedHashMap<>();
        Child seed = startSeed("seed-again");
        try {
            sink.reset(); // the counts of the rows before are in their maps already
            warmUp(seed);
            uploadRow(seed, r, "again_instant");
        } finally {
            seed.stop();
        }
        return r;
    }

    static Map<String, String> measureSeed() throws Exception {
        Map<String, String> r = new LinkedHashMap<>();
        Child seed = startSeed("seed");
        try {
            r.put("cold_start_s", fmt(seed.coldStartSeconds, 2));
            idleRss(seed, r);
            sink.reset();
            r.put("warm_uploads", String.valueOf(warmUp(seed)));
            runRows(seed, r);
            model.set(modelMs, modelSlots);
            uploadRow(seed, r, "slow");
            drainRow(seed, r);
            model.set(0, 0);
            r.put("peak_rss_mb", fmt(seed.peakRssMb(), 0));
            webhookCounts(r);
        } finally {
            seed.stop();
        }
        return r;
    }

    static Map<String, String> measureGateway() throws Exception {
        Map<String, String> r = new LinkedHashMap<>();
        // default settings (inference concurrency 4): /ping, uploads with instant inference, idle RSS, cold start
        Child gateway = startGateway("gateway", Map.of());
        try {
            r.put("cold_start_s", fmt(gateway.coldStartSeconds, 2));
            idleRss(gateway, r);
            sink.reset();
            r.put("warm_uploads", String.valueOf(warmUp(gateway)));
            barePingServerRow(r); // just before the gateway's /ping row, the gateway idle beside it
            runRows(gateway, r);
            acceptAloneRow(gateway, r);
            r.put("peak_rss_mb", fmt(gateway.peakRssMb(), 0));
            r.put("rss_after_load_mb", fmt(gateway.rssMb(), 0));
        } finally {
            gateway.stop();
        }
        // the same inference concurrency as the bench's model: 16 slots of 50 ms; then the folders
        Child gateway16 = startGateway("gateway-16", Map.of("GATEWAY_INFERENCE_CONCURRENCY", String.valueOf(modelSlots)));
        try {
            r.put("warm_uploads_16", String.valueOf(warmUp(gateway16)));
            // the instant model again, at the concurrency the 50 ms rows use (the seed's calls have no limit at all)
            uploadRow(gateway16, r, "instant16");
            model.set(modelMs, modelSlots);
            uploadRow(gateway16, r, "slow");
            drainRow(gateway16, r);
            model.set(0, 0);
            webhookCounts(r);
            folderRows(gateway16, r);
            r.put("peak_rss_mb_16", fmt(gateway16.peakRssMb(), 0));
        } finally {
            gateway16.stop();
        }
        return r;
    }

    static Child startGateway(String name, Map<String, String> env) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Path buckets = Files.createDirectories(work.resolve("buckets"));
        int port = freePort();
        int managementPort = freePort();
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(gatewayJvmOpts);
        cmd.addAll(List.of("-Dcamel.server.port=" + port, "-Dcamel.management.port=" + managementPort,
                "-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile());
        pb.environment().put("GATEWAY_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("GATEWAY_INFERENCE_URL", model.url());
        pb.environment().put("GATEWAY_LOCAL_ROOT", buckets.toString());
        // the bench's webhook sink is on loopback: allowed explicitly, as an operator would for an internal host
        pb.environment().put("GATEWAY_WEBHOOK_ALLOWED_SUBNETS", "127.0.0.1/32");
        pb.environment().putAll(gatewayEnv);
        pb.environment().putAll(env);
        Child child = Child.start(name, pb, "http://127.0.0.1:" + port);
        child.management = "http://127.0.0.1:" + managementPort;
        return child;
    }

    static void idleRss(Child child, Map<String, String> r) throws InterruptedException {
        Thread.sleep(2000);
        r.put("idle_rss_mb", fmt(child.rssMb(), 0));
    }

    /**
     * Pings, then batches of uploads, each waited for to its last webhook, until a batch cost the JIT compiler threads
     * less than {@code jitSettledMs} of CPU per upload (at most {@code maxWarmUploads} in all). A JVM's first minutes
     * are its JIT compiling: after 2,000 uploads the gateway's compiler threads still took 3.4-4.2 ms of CPU per job,
     * 40 % of its CPU (after 10,000: 1.3 ms; after 30,000: 0.5 ms), so a fixed short warm-up measured the gateway's
     * start, not the service it is after its first minutes. Python has no JIT: the seed's first batch is its warm-up.
     * Returns the uploads sent; the report prints them.
     */
    static int warmUp(Child child) throws Exception {
        hey(child, "warm-up ping", warmPings, "GET", "/ping", false);
        int sentInAll = 0;
        double jitPerUpload;
        do {
            int before = sink.distinct();
            double jit = child.jitCpuSeconds();
            hey(child, "warm-up uploads", warmUploads, "POST", "/invocations", true);
            sink.awaitDistinct(before + sent(warmUploads), Duration.ofSeconds(120));
            sentInAll += sent(warmUploads);
            jitPerUpload = (child.jitCpuSeconds() - jit) * 1000 / sent(warmUploads);
            log(String.format("%s warm-up: %,d uploads so far, the JIT took %.2f ms of CPU per upload in this batch",
                    child.name, sentInAll, jitPerUpload));
        } while (jitPerUpload >= jitSettledMs && sentInAll < maxWarmUploads);
        return sentInAll;
    }

    static void runRows(Child child, Map<String, String> r) throws Exception {
        double cpu = child.cpuSeconds();
        Map<String, Long> threadsBefore = child.cpuTicksByThreadGroup();
        Hey ping = hey(child, "GET /ping", pings, "GET", "/ping", false);
        r.put("ping_cpu_ms", fmt((child.cpuSeconds() - cpu) * 1000 / sent(pings), 2));
        r.put("ping_threads", Child.busiest(threadsBefore, child.cpuTicksByThreadGroup(), 8));
        r.put("ping_rps", fmt(ping.rps, 0));
        r.put("ping_p99_ms", fmt(ping.p99 * 1000, 1));
        uploadRow(child, r, "instant");
    }

    /**
     * The /ping reference: the same pings against a bare Vert.x server answering the same bytes
     * (bench/BarePingServer.java), just before the gateway's /ping row, with the gateway idle beside it as during its
     * own row. Its p99 is what this machine and hey give a server that does nothing else at this concurrency: a run
     * where it is above the target says so, whatever the gateway does. Warmed up first, so its JIT has compiled the
     * answer.
     */
    static void barePingServerRow(Map<String, String> r) throws Exception {
        int port = freePort();
        List<String> cmd = List.of("java", "-cp", jar.toAbsolutePath().toString(), "bench/BarePingServer.java",
                String.valueOf(port));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("bare-ping-server.log").toFile());
        Child bare = Child.start("bare-ping-server", pb, "http://127.0.0.1:" + port);
        try {
            hey(bare, "warm-up ping", BARE_SERVER_WARM_PINGS, "GET", "/ping", false);
            Hey ping = hey(bare, "GET /ping", pings, "GET", "/ping", false);
            r.put("bare_ping_rps", fmt(ping.rps, 0));
            r.put("bare_ping_p99_ms", fmt(ping.p99 * 1000, 1));
        } finally {
            bare.stop();
        }
    }

    /** Uploads with the model as it is set now: accept rate (hey) and end to end (first request to last webhook). */
    static void uploadRow(Child child, Map<String, String> r, String row) throws Exception {
        int before = sink.distinct();
        long start = System.currentTimeMillis();
        CpuMark cpu = CpuMark.of(child);
        Hey upload = hey(child, "uploads, model " + row, uploads, "POST", "/invocations", true);
        r.put(row + "_accept_cpu_ms", fmt((child.cpuSeconds() - cpu.all()) * 1000 / sent(uploads), 2));
        int expected = before + sent(uploads);
        boolean all = sink.awaitDistinct(expected, Duration.ofSeconds(300));
        double seconds = (sink.lastMillis() - start) / 1000.0;
        cpu.putPerUpload(child, r, row + "_job");
        r.put(row + "_accept_rps", fmt(upload.rps, 0));
        r.put(row + "_accept_p50_ms", fmt(upload.p50 * 1000, 1));
        r.put(row + "_e2e_jobs_s", all ? fmt(sent(uploads) / seconds, 0) : "incomplete");
        log(String.format("%s: %s accepted/s, end to end %s jobs/s (%d of %d delivered)", row, r.get(row + "_accept_rps"),
                r.get(row + "_e2e_jobs_s"), sink.distinct() - before, sent(uploads)));
        if (upload.non200 > 0) {
            r.put(row + "_non200", String.valueOf(upload.non200));
        }
    }

    /**
     * The durable accept path alone: the same upload burst with the gateway's job and delivery consumers stopped
     * (routes stopped through Jolokia, as an operator would in hawtio), so nothing but accepting runs on the cores:
     * what the accept rows could reach if no job ran during a burst. It warms up on its own first (accepting alone takes
     * code paths the first warm-up did not compile); read it with the JIT share left. The routes are started again and
     * the jobs delivered before the bench goes on.
     */
    static void acceptAloneRow(Child child, Map<String, String> r) throws Exception {
        int before = sink.distinct();
        for (String route : List.of("job-worker", "deliver-webhook")) {
            routeOperation(child, route, "stop");
        }
        // its own warm-up: accepting alone takes code paths the warm-up with the jobs running left uncompiled (1.11 of
        // 4.16 ms per upload was the JIT in its first runs); bursts until one costs the JIT less than jitSettledMs
        int warm = 0;
        for (int burst = 0; burst < ALONE_WARM_BURSTS; burst++) {
            CpuMark mark = CpuMark.of(child);
            hey(child, "uploads, consumers stopped, warm-up", uploads, "POST", "/invocations", true);
            warm += sent(uploads);
            if (mark.jitPerUpload(child) < jitSettledMs) {
                break;
            }
        }
        r.put("alone_warm_uploads", String.valueOf(warm));
        CpuMark cpu = CpuMark.of(child);
        Hey upload = hey(child, "uploads, consumers stopped", uploads, "POST", "/invocations", true);
        cpu.putPerUpload(child, r, "alone_accept");
        r.put("alone_accept_rps", fmt(upload.rps, 0));
        for (String route : List.of("deliver-webhook", "job-worker")) {
            routeOperation(child, route, "start");
        }
        boolean all = sink.awaitDistinct(before + warm + sent(uploads), Duration.ofSeconds(300));
        log(String.format("accept alone, after %d warm-up uploads: %s accepted/s, %s ms CPU per upload (JIT %s, GC %s);"
                + " then %d of %d delivered", warm, r.get("alone_accept_rps"), r.get("alone_accept_cpu_ms"),
                r.get("alone_accept_jit_ms"), r.get("alone_accept_gc_ms"), sink.distinct() - before, warm + sent(uploads)));
        if (upload.non200 > 0) {
            r.put("alone_non200", String.valueOf(upload.non200));
        }
        if (!all) {
            r.put("alone_accept_rps", r.get("alone_accept_rps") + " (jobs not all delivered)");
        }
    }

    /** A child's CPU time so far (all its threads, its JIT compiler threads, its GC threads), seconds. */
    record CpuMark(double all, double jit, double gc) {
        static CpuMark of(Child child) {
            return new CpuMark(child.cpuSeconds(), child.jitCpuSeconds(), child.gcCpuSeconds());
        }

        /** The JIT compiler threads' CPU since this mark per upload of a burst, ms. */
        double jitPerUpload(Child child) {
            return (child.jitCpuSeconds() - jit) * 1000 / sent(uploads);
        }

        /** The CPU used since this mark per upload of a burst, ms: {@code <prefix>_cpu_ms}, {@code _jit_ms}, {@code _gc_ms}. */
        void putPerUpload(Child child, Map<String, String> r, String prefix) {
            r.put(prefix + "_cpu_ms", fmt((child.cpuSeconds() - all) * 1000 / sent(uploads), 2));
            r.put(prefix + "_jit_ms", fmt(jitPerUpload(child), 2));
            r.put(prefix + "_gc_ms", fmt((child.gcCpuSeconds() - gc) * 1000 / sent(uploads), 2));
        }
    }

    /** Stops or starts one of the gateway's routes through Jolokia (its management port, loopback; the CamelContext is
     *  named by camel.main.name in application.properties). */
    static void routeOperation(Child child, String route, String operation) throws Exception {
        String body = """
                {"type":"exec","mbean":"org.apache.camel:context=oct-inference-gateway,type=routes,name=\\"%s\\"","operation":"%s()"}"""
                .formatted(route, operation);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(child.management + "/observe/jolokia"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("\"status\":200")) {
            throw new IllegalStateException(operation + " " + route + " through Jolokia: " + answer.statusCode() + " " + answer.body());
        }
    }

    /**
     * The model as the one bottleneck: the uploads are accepted while the model holds every call, then it lets them
     * go, and the jobs drain with nothing else on the cores. Jobs/s from that moment to the last webhook. In the row
     * above the upload burst takes the same two cores while the model waits for calls, so that row measures the
     * machine as much as the model.
     */
    static void drainRow(Child child, Map<String, String> r) throws Exception {
        int before = sink.distinct();
        model.hold();
        hey(child, "uploads, model held", uploads, "POST", "/invocations", true);
        long opened = System.currentTimeMillis();
        model.open();
        boolean all = sink.awaitDistinct(before + sent(uploads), Duration.ofSeconds(300));
        double seconds = (sink.lastMillis() - opened) / 1000.0;
        r.put("drain_jobs_s", all ? fmt(sent(uploads) / seconds, 0) : "incomplete");
        log(String.format("drain: %s jobs/s once the model let the held calls go (%d of %d delivered)",
                r.get("drain_jobs_s"), sink.distinct() - before, sent(uploads)));
    }

    static void webhookCounts(Map<String, String> r) {
        r.put("webhook_posts", String.valueOf(sink.posts()));
        r.put("webhook_distinct", String.valueOf(sink.distinct()));
    }

    /** Folder requests on the local provider, answered with one request_uuid per image: median of 3 for 1,000, one run
     *  of 10,000. Each request is sent once the sink has every image of the ones before (as warmUp waits): the row
     *  measures the folder's own acceptance, not the previous folders' jobs running on the same cores. */
    static void folderRows(Child child, Map<String, String> r) throws Exception {
        Path image = Paths.get("samples/oct-scan-512x496.png").toAbsolutePath();
        int delivered = sink.distinct(); // the webhook-ids expected in the sink before the next folder is sent
        for (int size : folders) {
            Path folder = Files.createDirectories(work.resolve("buckets/oct-input/exam-" + size));
            for (int i = 0; i < size; i++) {
                Files.createLink(folder.resolve(String.format("slice-%05d.png", i)), image);
            }
            int runs = size > 1000 ? 1 : 3; // a second 10,000 would pass the caller's backlog share while the first runs
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                if (!sink.awaitDistinct(delivered, Duration.ofSeconds(300))) {
                    log("folders: the previous folders' jobs were not all delivered; measuring anyway");
                }
                long t0 = System.nanoTime();
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(child.base + "/bucket_invocations"))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody())
                        .header("Input-Location", "exam-" + size + "/").header("Webhook-Url", sink.url())
                        .build(), HttpResponse.BodyHandlers.ofString());
                ms[i] = (System.nanoTime() - t0) / 1e6;
                long uuids = UUID_RE.matcher(answer.body()).results().count();
                if (answer.statusCode() != 200 || uuids != size) {
                    throw new IllegalStateException("folder of " + size + ": HTTP " + answer.statusCode() + ", "
                            + uuids + " request_uuids: " + answer.body().substring(0, Math.min(300, answer.body().length())));
                }
                log(String.format("folder of %,d images answered in %.0f ms", size, ms[i]));
                delivered += size + 1; // an envelope per image, then the folder's exam_completed (its own webhook-id)
            }
            Arrays.sort(ms);
            r.put("folder_" + size + "_ms", fmt(size > 1000 ? ms[0] : ms[runs / 2], 0));
        }
    }

    /** hey sends n/c × c requests. */
    static int sent(int n) {
        return n / concurrency * concurrency;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Load: hey

    record Hey(double rps, double p50, double p99, int non200) {
    }

    static Hey hey(Child child, String what, int n, String method, String path, boolean upload) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("hey", "-n", String.valueOf(n), "-c", String.valueOf(concurrency),
                "-m", method, "-t", "60"));
        if (upload) {
            cmd.addAll(List.of("-T", uploadContentType, "-D", uploadBody.toString(), "-H", "Webhook-Url: " + sink.url(),
                    "-H", "Examination-ID: bench", "-H", "Inference-Parameters: {\"low_confidence_p\": 0.2}"));
        }
        cmd.add(child.base + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("hey failed: " + output);
        }
        Files.writeString(work.resolve(child.name + "-hey.log"), "# " + what + "\n" + output + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        double rps = number(output, "Requests/sec:\\s+([0-9.]+)");
        double p50 = number(output, "50%+ in ([0-9.]+) secs");
        double p99 = number(output, "99%+ in ([0-9.]+) secs");
        int ok = (int) number(output, "\\[200\\]\\s+(\\d+) responses");
        int non200 = sent(n) - ok;
        log(String.format("%s %s: %.0f req/s, p50 %.1f ms, p99 %.1f ms%s", child.name, what, rps, p50 * 1000, p99 * 1000,
                non200 > 0 ? ", NOT 200: " + non200 : ""));
        return new Hey(rps, p50, p99, non200);
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static void prepareUpload(Path image) throws IOException {
        String boundary = "benchboundary7MA4YWxkTrZu0gW";
        byte[] bytes = Files.readAllBytes(image);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"scan.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bytes, 0, body, head.length, bytes.length);
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        uploadBody = work.resolve("upload.multipart");
        Files.write(uploadBody, body);
        uploadContentType = "multipart/form-data; boundary=" + boundary;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Children: started here, measured through /proc, stopped by their own PID only

    static final class Child {
        final String name;
        final Process process;
        final String base;
        /** The gateway's management port (Jolokia), null for the seed. */
        String management;
        double coldStartSeconds;

        Child(String name, Process process, String base) {
            this.name = name;
            this.process = process;
            this.base = base;
        }

        /** Starts the process and waits for its first GET /ping 200 (the cold start). */
        static Child start(String name, ProcessBuilder pb, String base) throws Exception {
            long t0 = System.nanoTime();
            Child child = new Child(name, pb.start(), base);
            HttpRequest ping = HttpRequest.newBuilder(URI.create(base + "/ping")).timeout(Duration.ofSeconds(2)).build();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                try {
                    if (HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!child.process.isAlive() || System.nanoTime() > deadline) {
                    child.stop();
                    throw new IllegalStateException(name + " did not answer /ping (see its log under " + work + ")");
                }
                Thread.sleep(10);
            }
            child.coldStartSeconds = (System.nanoTime() - t0) / 1e9;
            log(String.format("%s: first /ping 200 after %.2f s (pid %d)", name, child.coldStartSeconds, child.process.pid()));
            return child;
        }

        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            pids.add(process.pid());
            process.descendants().forEach(h -> pids.add(h.pid()));
            return pids;
        }

        /** CPU time used so far (user + system), seconds, summed over the process and its children. */
        double cpuSeconds() {
            long ticks = 0;
            for (long pid : pids()) {
                ticks += cpuTicks(Paths.get("/proc/" + pid + "/stat"));
            }
            return ticks / 100.0; // USER_HZ
        }

        /**
         * CPU time used so far by the threads whose name starts with one of {@code prefixes}, seconds (0 for the seed:
         * Python has no such threads). HotSpot's JIT compiler threads are "C1 CompilerThre…"/"C2 CompilerThre…", its
         * G1 threads "GC Thread#N", "G1 …". A compiler thread that exited meanwhile takes its time along (HotSpot
         * starts and stops them with the compile queue), so this is a lower bound.
         */
        double threadCpuSeconds(String... prefixes) {
            long[] ticks = {0};
            forEachThread((name, stat) -> {
                if (Arrays.stream(prefixes).anyMatch(name::startsWith)) {
                    ticks[0] += cpuTicks(stat);
                }
            });
            return ticks[0] / 100.0;
        }

        /**
         * CPU ticks used so far per group of threads, the digits of their names replaced by '#' (the 16 job-worker-N
         * threads are one group). What else ran while a row was measured: the difference of two of these.
         */
        Map<String, Long> cpuTicksByThreadGroup() {
            Map<String, Long> groups = new HashMap<>();
            forEachThread((name, stat) -> groups.merge(name.replaceAll("[0-9]+", "#"), cpuTicks(stat), Long::sum));
            return groups;
        }

        /** Each thread of the process and its children alive now: its name (/proc's comm) and its stat file. */
        private void forEachThread(BiConsumer<String, Path> action) {
            for (long pid : pids()) {
                try (var tasks = Files.list(Paths.get("/proc/" + pid + "/task"))) {
                    for (Path task : tasks.toList()) {
                        try {
                            action.accept(Files.readString(task.resolve("comm")).strip(), task.resolve("stat"));
                        } catch (IOException gone) {
                            // the thread ended meanwhile
                        }
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // exited meanwhile
                }
            }
        }

        /** The {@code top} groups that used the most CPU between two {@link #cpuTicksByThreadGroup} readings, in ms. */
        static String busiest(Map<String, Long> before, Map<String, Long> after, int top) {
            return after.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 10))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(top)
                    .map(e -> "`" + e.getKey() + "` " + e.getValue())
                    .collect(Collectors.joining(", "));
        }

        double jitCpuSeconds() {
            return threadCpuSeconds("C1 CompilerThre", "C2 CompilerThre");
        }

        double gcCpuSeconds() {
            return threadCpuSeconds("GC Thread", "G1 ");
        }

        /** utime + stime of a /proc stat file, in ticks; 0 when the process or thread is gone. */
        static long cpuTicks(Path stat) {
            try {
                String text = Files.readString(stat);
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
        }

        double rssMb() {
            return statusKb("VmRSS:") / 1024.0;
        }

        double peakRssMb() {
            return statusKb("VmHWM:") / 1024.0;
        }

        /** Summed over the process and its children (uvicorn's workers). */
        long statusKb(String field) {
            long kb = 0;
            for (long pid : pids()) {
                try {
                    for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
                        if (line.startsWith(field)) {
                            kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
            return kb;
        }

        void stop() throws InterruptedException {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy(); // SIGTERM to this PID
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroy();
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Peers

    /** The model: answers JSON after {@code delayMs}, at most {@code slots} requests at once (0: no limit). */
    static final class InferenceStub {
        final HttpServer server;
        volatile int delayMs;
        volatile Semaphore slots;
        /** While not null and closed, every call waits here before it takes a slot (the drain row). */
        volatile CountDownLatch gate;

        InferenceStub(int port) throws IOException {
            server = serve(port, this::handle);
        }

        void set(int delayMs, int slots) {
            this.delayMs = delayMs;
            this.slots = slots > 0 ? new Semaphore(slots) : null;
        }

        /** Holds every call from now on, until {@link #open()}. */
        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/predict";
        }

        void handle(HttpExchange exchange) throws IOException {
            long bytes;
            try (InputStream in = exchange.getRequestBody()) {
                bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            Semaphore s = slots;
            try {
                CountDownLatch g = gate;
                if (g != null) {
                    g.await();
                }
                if (s != null) {
                    s.acquire();
                }
                try {
                    if (delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                } finally {
                    if (s != null) {
                        s.release();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = ("{\"label\":\"stub\",\"confidence\":0.93,\"bytes\":" + bytes + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        }

        void stop() {
            server.stop(0);
        }
    }

    /** Counts webhook POSTs and distinct webhook-ids; remembers when the last one came. */
    static final class WebhookSink {
        final HttpServer server;
        final AtomicInteger posts = new AtomicInteger();
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final AtomicLong last = new AtomicLong();

        WebhookSink(int port) throws IOException {
            server = serve(port, this::handle);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void handle(HttpExchange exchange) throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            posts.incrementAndGet();
            if (id != null) {
                ids.add(id);
            }
            last.set(System.currentTimeMillis());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }

        void reset() {
            posts.set(0);
            ids.clear();
        }

        int posts() {
            return posts.get();
        }

        int distinct() {
            return ids.size();
        }

        long lastMillis() {
            return last.get();
        }

        boolean awaitDistinct(int expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ids.size() < expected) {
                if (System.nanoTime() > deadline) {
                    log("webhook sink: only " + ids.size() + " of " + expected + " webhook-ids before the deadline");
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }

        void stop() {
            server.stop(0);
        }
    }

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    static HttpServer serve(int port, Handler handler) throws IOException {
        // without it the JDK server writes the body after the headers in a second segment and a keep-alive client
        // waits for the delayed ACK (~40 ms): the stub would be the bottleneck
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                exchange.close();
            }
        });
        // daemon threads: HttpServer.stop() leaves its executor running, and the driver would not exit after its report
        server.setExecutor(Executors.newFixedThreadPool(256, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The report

    static String report(Map<String, String> s, Map<String, String> g) throws Exception {
        StringBuilder b = new StringBuilder();
        b.append("# Side by side: the gateway against the design it replaces\n\n");
        b.append("- when: ").append(Instant.now()).append("\n");
        b.append("- commit: ").append(git()).append("\n");
        b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("; load average (1, 5, 15 min): ")
                .append(String.join("; ", loads)).append("\n");
        b.append("- seed design: bench/seed/app.py (FastAPI + BackgroundTasks, 2 uvicorn workers, not durable); gateway: ")
                .append(jar).append(gatewayJvmOpts.isEmpty() ? " with plain `java -jar`" : " with " + gatewayJvmOpts)
                .append(", embedded broker, default settings except the peers' URLs and the loopback webhook subnet\n");
        b.append(String.format("- load: hey, %d uploads of the 18.6 KB sample / %d pings, %d connections, after %d pings and"
                + " batches of %d uploads of warm-up until the JIT took < %.2f ms of CPU per upload (at most %,d): seed %s,"
                + " gateway %s, gateway-16 %s uploads; model stub: instant, or %d ms with %d slots (capacity %d/s)%n%n",
                sent(uploads), sent(pings), concurrency, warmPings, warmUploads, jitSettledMs, maxWarmUploads,
                s.get("warm_uploads"), g.get("warm_uploads"), g.get("warm_uploads_16"), modelMs, modelSlots,
                modelSlots * 1000 / modelMs));
        b.append("| measure | seed design | gateway | gateway/seed |\n|---|---:|---:|---:|\n");
        row(b, "`GET /ping` req/s", s.get("ping_rps"), g.get("ping_rps"), true);
        row(b, "`GET /ping` p99 ms (target < 5)", s.get("ping_p99_ms"), g.get("ping_p99_ms"), false);
        row(b, "upload accept req/s, inference instant, gateway concurrency 4", s.get("instant_accept_rps"), g.get("instant_accept_rps"), true);
        row(b, "... the seed measured again after the gateway's rows (how far the machine drifted in this run)",
                s.get("again_instant_accept_rps"), g.get("instant_accept_rps"), true);
        row(b, "upload accept p50 ms, inference instant, gateway concurrency 4", s.get("instant_accept_p50_ms"), g.get("instant_accept_p50_ms"), false);
        row(b, "end to end jobs/s (to the last webhook), inference instant, gateway concurrency 4",
                s.get("instant_e2e_jobs_s"), g.get("instant_e2e_jobs_s"), true);
        // not a target: the gateway's accept path with its job and delivery consumers stopped (acceptAloneRow),
        // against the seed accepting while its background tasks run, as it always does
        row(b, "... upload accept req/s with the gateway's job and delivery routes stopped (its accept path alone, after "
                + g.getOrDefault("alone_warm_uploads", "no") + " warm-up uploads so; the seed as above)",
                s.get("instant_accept_rps"), g.get("alone_accept_rps"), true);
        row(b, "upload accept req/s, inference instant, gateway concurrency " + modelSlots, s.get("instant_accept_rps"),
                g.get("instant16_accept_rps"), true);
        row(b, "end to end jobs/s, inference instant, gateway concurrency " + modelSlots, s.get("instant_e2e_jobs_s"),
                g.get("instant16_e2e_jobs_s"), true);
        row(b, "upload accept req/s, inference " + modelMs + " ms × " + modelSlots + ", gateway concurrency " + modelSlots,
                s.get("slow_accept_rps"), g.get("slow_accept_rps"), true);
        row(b, "end to end jobs/s, inference " + modelMs + " ms × " + modelSlots + ", gateway concurrency " + modelSlots,
                s.get("slow_e2e_jobs_s"), g.get("slow_e2e_jobs_s"), true);
        int capacity = modelSlots * 1000 / modelMs;
        b.append(String.format("| ... of the model's capacity (%d/s; target ≥ 90 %%) | %s | %s | |%n", capacity,
                percentOf(s.get("slow_e2e_jobs_s"), capacity), percentOf(g.get("slow_e2e_jobs_s"), capacity)));
        row(b, "jobs/s draining a full queue, inference " + modelMs + " ms × " + modelSlots + " (uploads accepted while the"
                + " model held its calls)", s.get("drain_jobs_s"), g.get("drain_jobs_s"), true);
        b.append(String.format("| ... of the model's capacity (%d/s; target ≥ 90 %%) | %s | %s | |%n", capacity,
                percentOf(s.get("drain_jobs_s"), capacity), percentOf(g.get("drain_jobs_s"), capacity)));
        b.append("| **CPU per request or job (process user + system time; does not depend on the machine's load)** | | | |\n");
        row(b, "CPU ms per `GET /ping`", s.get("ping_cpu_ms"), g.get("ping_cpu_ms"), false);
        row(b, "CPU ms per upload while hey sends them, inference instant", s.get("instant_accept_cpu_ms"), g.get("instant_accept_cpu_ms"), false);
        row(b, "... the gateway's accept path alone (job and delivery routes stopped; of which JIT / GC)", "",
                g.get("alone_accept_cpu_ms") + " (" + g.get("alone_accept_jit_ms") + " / " + g.get("alone_accept_gc_ms") + ")", false);
        row(b, "CPU ms per job, upload to webhook, inference instant", s.get("instant_job_cpu_ms"), g.get("instant_job_cpu_ms"), false);
        row(b, "CPU ms per job, upload to webhook, inference 50 ms × 16", s.get("slow_job_cpu_ms"), g.get("slow_job_cpu_ms"), false);
        // the two rows above, split: how much of the gateway's CPU was its JIT still compiling, and its GC
        row(b, "... of which the JIT compiler threads, instant / 50 ms × 16", "", g.get("instant_job_jit_ms") + " / " + g.get("slow_job_jit_ms"), false);
        row(b, "... of which the GC threads, instant / 50 ms × 16", "", g.get("instant_job_gc_ms") + " / " + g.get("slow_job_gc_ms"), false);
        b.append("| **Start and memory** | | | |\n");
        row(b, "cold start to first `/ping` 200, s (target ≤ 3)", s.get("cold_start_s"), g.get("cold_start_s"), false);
        row(b, "idle RSS MB, 2 s after start (target ≤ 300)", s.get("idle_rss_mb"), g.get("idle_rss_mb"), false);
        row(b, "peak RSS MB (VmHWM)", s.get("peak_rss_mb"), g.get("peak_rss_mb"), false);
        row(b, "webhook POSTs", s.get("webhook_posts"), g.get("webhook_posts"), false);
        row(b, "distinct webhook-ids (duplicates = POSTs − distinct)", s.get("webhook_distinct"), g.get("webhook_distinct"), false);
        b.append("\n| gateway only | value |\n|---|---:|\n");
        for (int size : folders) {
            b.append(String.format("| `POST /bucket_invocations`, %,d-image folder (local provider, the previous folders' jobs delivered), ms%s | %s |%n", size,
                    size >= 10000 ? " (target ≤ 1,000)" : "", g.get("folder_" + size + "_ms")));
        }
        b.append("| `GET /ping` on a bare Vert.x server answering the same bytes, just before the gateway's row (bench/BarePingServer.java): req/s | ")
                .append(g.get("bare_ping_rps")).append(" |\n");
        b.append("| ... its p99 ms: what this machine and hey give a server that does nothing else (the reference for the `/ping` p99) | ").append(g.get("bare_ping_p99_ms"))
                .append(" |\n");
        b.append("| CPU ms by thread group during the `/ping` row (what else ran; 10 ms ticks) | ").append(g.get("ping_threads")).append(" |\n");
        b.append("| RSS after the load, gateway concurrency 4, MB | ").append(g.get("rss_after_load_mb")).append(" |\n");
        b.append("| peak RSS with concurrency 16 and the folders, MB | ").append(g.get("peak_rss_mb_16")).append(" |\n");
        for (Map<String, String> m : List.of(s, g)) {
            m.forEach((k, v) -> {
                if (k.endsWith("_non200")) {
                    b.append("\nNOT 200: ").append(k).append(" = ").append(v).append(m == s ? " (seed)" : " (gateway)").append("\n");
                }
            });
        }
        return b.toString();
    }

    static void row(StringBuilder b, String what, String seed, String gateway, boolean higherIsBetter) {
        String ratio = "";
        try {
            double s = Double.parseDouble(seed);
            double g = Double.parseDouble(gateway);
            ratio = s == 0 ? "" : String.format("%.2f", g / s);
        } catch (RuntimeException notNumbers) {
            // a missing or incomplete measure: no ratio
        }
        b.append("| ").append(what).append(" | ").append(seed).append(" | ").append(gateway).append(" | ").append(ratio)
                .append(" |\n");
    }

    static String percentOf(String value, int capacity) {
        try {
            return String.format("%.0f %%", 100 * Double.parseDouble(value) / capacity);
        } catch (RuntimeException e) {
            return "";
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static void load(String when) throws IOException {
        String[] avg = Files.readString(Paths.get("/proc/loadavg")).split(" ");
        loads.add(when + " " + avg[0] + ", " + avg[1] + ", " + avg[2]);
        log("load average at " + when + ": " + avg[0] + " " + avg[1] + " " + avg[2]);
    }

    static String git() {
        try {
            Process p = new ProcessBuilder("git", "log", "-1", "--format=%h %s").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return s.length() > 100 ? s.substring(0, 100) + "…" : s;
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pings" -> pings = Integer.parseInt(args[++i]);
                case "--uploads" -> uploads = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--warm-pings" -> warmPings = Integer.parseInt(args[++i]);
                case "--warm-uploads" -> warmUploads = Integer.parseInt(args[++i]);
                case "--jit-settled-ms" -> jitSettledMs = Double.parseDouble(args[++i]);
                case "--max-warm-uploads" -> maxWarmUploads = Integer.parseInt(args[++i]);
                case "--model-ms" -> modelMs = Integer.parseInt(args[++i]);
                case "--model-slots" -> modelSlots = Integer.parseInt(args[++i]);
                case "--folders" -> folders = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--gateway-jvm-opt" -> gatewayJvmOpts.add(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--jar" -> jar = Paths.get(args[++i]);
                case "--keep" -> keep = true;
                case "--skip-seed" -> skipSeed = true;
                case "--gateway-env" -> {
                    String[] kv = args[++i].split("=", 2);
                    gatewayEnv.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see bench/README.md)");
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String fmt(double v, int decimals) {
        return String.format("%." + decimals + "f", v);
    }

    static void log(String line) {
        System.out.println("[side-by-side " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
