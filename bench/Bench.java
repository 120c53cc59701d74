import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * The gateway's performance benchmark (see bench/README.md). Run through bench/run.sh.
 *
 * Starts the packaged jar as a child process on free loopback ports with a temp data dir and a temp
 * gateway.local.root, stops the job-worker route (so acceptance is measured, not inference), and
 * measures the answer time of POST /bucket_invocations for exam folders of 1 (the baseline), 1,000 and
 * 10,000 images, the heap after GC and the RSS; then the upload path (POST /invocations vs GET /ping)
 * and the end-to-end throughput of uploads through the demo inference server to the demo webhook sink.
 * Management (stop/start route, GC, heap, queue purge) goes through the local JMX agent of the child,
 * attached by PID. Only the child this program started is ever stopped.
 */
public class Bench {

    static final Pattern UUID_RE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    // options
    static int runs = 5;
    static int warmups = 2;
    static int[] sizes = {1, 1000, 10000};
    static int bigFiles = 1000;
    static int uploads = 200;
    static int uploadConcurrency = 4;
    static int latencySamples = 30;
    static Path jar = Paths.get("target/oct-inference-gateway.jar");
    static Path out = Paths.get("bench/results/latest.md");
    static List<String> gatewayJvmOpts = new ArrayList<>();
    static Path jfr;
    static boolean keep;

    static Process gateway;
    static long pid;
    static int port;
    static int mgmtPort;
    static Path work;
    static Path dataDir;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static JMXConnector jmxConnector;
    static MBeanServerConnection jmx;
    static MemoryMXBean memory;
    static ObjectName jobsQueue;

    public static void main(String[] args) throws Exception {
        parse(args);
        Runtime.getRuntime().addShutdownHook(new Thread(Bench::stopGateway));
        work = Files.createTempDirectory("oct-bench-");
        dataDir = work.resolve("data");
        Path buckets = work.resolve("buckets");
        log("work dir " + work);

        // 1. exam folders, each alone in its own bucket (the local provider walks the bucket from the
        //    folder's parent, so a folder is listed on its own only when it is alone at its level)
        byte[] small = noisePng(40, 40, 1);
        byte[] big = noisePng(410, 410, 2);
        List<Folder> folders = new ArrayList<>();
        for (int n : sizes) {
            folders.add(makeFolder(buckets, "bench-" + n, "exam-" + n, n, small, false, null));
        }
        Folder bigFolder = null;
        if (bigFiles > 0) {
            bigFolder = makeFolder(buckets, "bench-" + bigFiles + "-big", "exam-" + bigFiles + "-big", bigFiles, big, true, null);
        }
        // the 1-image folder again, next to the largest folder in the same bucket (exam-1 is a prefix of exam-10000)
        Folder largest = folders.get(folders.size() - 1);
        Folder sibling = null;
        if (largest.images() > 1) {
            makeFolder(buckets, "bench-shared", largest.folder(), largest.images(), small, true,
                    buckets.resolve(largest.bucket()).resolve(largest.folder()));
            sibling = makeFolder(buckets, "bench-shared", "exam-1", 1, small, false, null);
            sibling = new Folder(sibling.bucket(), sibling.folder(), 1, small.length,
                    "1 image, next to " + String.format("%,d", largest.images()) + " in its bucket");
        }
        // 2. the gateway
        startGateway(buckets);
        attach();
        routeOp("job-worker", "stop");
        log("job-worker route stopped: jobs stay queued, acceptance is measured");

        // warm-up (JIT, connection pools, journal files)
        List<Folder> all = new ArrayList<>(folders);
        if (bigFolder != null) {
            all.add(bigFolder);
        }
        if (sibling != null) {
            all.add(sibling);
        }
        for (int i = 0; i < warmups; i++) {
            for (Folder f : all) {
                postFolder(f);
                purge();
            }
        }

        // 3. the folders
        if (jfr != null) {
            log(sh("jcmd", String.valueOf(pid), "JFR.start", "name=bench", "settings=profile", "filename=" + jfr.toAbsolutePath()));
        }
        List<Row> rows = new ArrayList<>();
        for (Folder f : all) {
            rows.add(measureFolder(f));
        }
        if (jfr != null) {
            log(sh("jcmd", String.valueOf(pid), "JFR.stop", "name=bench"));
        }

        // 5. the upload path
        long hwmFolders = procStatusKb("VmHWM");
        Map<String, String> upload = measureUploads();

        long hwm = procStatusKb("VmHWM");
        stopGateway();

        String report = report(rows, upload, small.length, big.length, hwmFolders, hwm);
        System.out.println();
        System.out.println(report);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        log("written " + out);
        if (keep) {
            log("kept " + work + " (gateway.log has one 'Accepted N job(s)' line per request)");
        } else {
            deleteTree(work);
        }
    }

    // ---------------------------------------------------------------- bucket folders

    record Folder(String bucket, String folder, int images, long fileBytes, String label) {
    }

    record Row(String folder, int images, long fileBytes, double medianMs, double minMs, double maxMs,
               double listMs, double acceptMs, double jobsMs, double heapQueuedMb, double heapPurgedMb, double rssMb,
               double hwmMb, double[] all) {
    }

    static Row measureFolder(Folder f) throws Exception {
        String folder = f.label();
        int images = f.images();
        long fileBytes = f.fileBytes();
        double[] ms = new double[runs];
        double[] listMs = new double[runs];
        double[] acceptMs = new double[runs];
        double[] jobsMs = new double[runs];
        double heapQueued = 0;
        for (int i = 0; i < runs; i++) {
            ms[i] = postFolder(f);
            listMs[i] = routeLastMs("storage-local-list");
            acceptMs[i] = routeLastMs("accept-bucket_invocations");
            jobsMs[i] = processorLastMs("accept-bucket_invocations", "queueBucketJobs");
            if (i == runs - 1) {
                heapQueued = heapAfterGcMb();
            }
            purge();
        }
        double heapPurged = heapAfterGcMb();
        double rss = procStatusKb("VmRSS") / 1024.0;
        Row row = new Row(folder, images, fileBytes, median(ms), min(ms), max(ms), median(listMs), median(acceptMs),
                median(jobsMs), heapQueued, heapPurged, rss, procStatusKb("VmHWM") / 1024.0, ms);
        log(String.format("%s: median %.1f ms (runs %s), list %.1f ms, accept route %.1f ms, jobs+queue+log step %.1f ms, heap %.1f MB queued / %.1f MB purged, RSS %.0f MB",
                folder, row.medianMs, fmt(ms), row.listMs, row.acceptMs, median(jobsMs), heapQueued, heapPurged, rss));
        return row;
    }

    /** POST /bucket_invocations for the folder; answers the time to the complete answer, in ms. */
    static double postFolder(Folder f) throws Exception {
        String folder = f.folder();
        int expected = f.images();
        HttpRequest request = HttpRequest.newBuilder(base("/bucket_invocations"))
                .timeout(Duration.ofSeconds(300))
                .header("Input-Bucket-Name", f.bucket())
                .header("Input-Location", folder + "/")
                .header("Webhook-Url", "http://127.0.0.1:" + port + "/demo/webhook")
                .header("Examination-ID", "bench-" + folder)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(folder + ": HTTP " + response.statusCode() + " " + response.body());
        }
        int uuids = count(UUID_RE, response.body());
        if (uuids != expected) {
            throw new IllegalStateException(folder + ": expected " + expected + " request_uuids, got " + uuids);
        }
        return ms;
    }

    // ---------------------------------------------------------------- uploads

    static Map<String, String> measureUploads() throws Exception {
        Map<String, String> r = new LinkedHashMap<>();
        Path sample = Paths.get("samples/oct-scan-512x496.png");
        byte[] png = Files.readAllBytes(sample);
        String boundary = "bench" + System.nanoTime();
        byte[] body = multipart(boundary, "oct-scan-512x496.png", png);

        // latency: one request at a time, worker stopped
        for (int i = 0; i < 10; i++) {
            upload(body, boundary);
            ping();
        }
        purge();
        double[] up = new double[latencySamples];
        double[] pi = new double[latencySamples];
        for (int i = 0; i < latencySamples; i++) {
            pi[i] = ping();
            up[i] = upload(body, boundary);
        }
        purge();
        r.put("ping_ms", String.format("%.2f", median(pi)));
        r.put("upload_ms", String.format("%.2f", median(up)));
        r.put("upload_ratio", String.format("%.1f", median(up) / median(pi)));
        r.put("upload_bytes", String.valueOf(png.length));
        log(String.format("GET /ping median %.2f ms, POST /invocations median %.2f ms (%d samples each)",
                median(pi), median(up), latencySamples));

        if (uploads <= 0) {
            return r;
        }
        // baseline: the uploads answered only (worker stopped, nothing delivered)
        double acceptSeconds = uploadBurst(body, boundary);
        purge();
        double acceptRate = uploads / acceptSeconds;
        log(String.format("%d uploads answered only, concurrency %d: %.2f s, %.0f jobs/s", uploads, uploadConcurrency,
                acceptSeconds, acceptRate));

        // end to end: worker started; demo inference server -> demo webhook sink
        Path sink = dataDir.resolve("demo-webhook");
        int before = jsonFiles(sink);
        routeOp("job-worker", "start");
        long t0 = System.nanoTime();
        uploadBurst(body, boundary);
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (jsonFiles(sink) - before < uploads) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (jsonFiles(sink) - before) + " of " + uploads + " delivered");
            }
            Thread.sleep(20);
        }
        double e2eSeconds = (System.nanoTime() - t0) / 1e9;
        int completed = countCompleted(sink);
        double e2eRate = uploads / e2eSeconds;
        log(String.format("%d uploads delivered end to end: %.2f s, %.1f jobs/s (%d completed envelopes in the sink)",
                uploads, e2eSeconds, e2eRate, completed));
        r.put("accept_s", String.format("%.2f", acceptSeconds));
        r.put("accept_rate", String.format("%.0f", acceptRate));
        r.put("e2e_s", String.format("%.2f", e2eSeconds));
        r.put("e2e_rate", String.format("%.1f", e2eRate));
        r.put("e2e_ratio", String.format("%.2f", e2eRate / acceptRate));
        r.put("completed", String.valueOf(completed));
        return r;
    }

    static double uploadBurst(byte[] body, String boundary) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(uploadConcurrency);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < uploadConcurrency; t++) {
            done.add(pool.submit(() -> {
                while (next.getAndIncrement() < uploads) {
                    upload(body, boundary);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return seconds;
    }

    static double upload(byte[] body, String boundary) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base("/invocations"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Webhook-Url", "http://127.0.0.1:" + port + "/demo/webhook")
                .header("Examination-ID", "bench-upload")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200 || count(UUID_RE, response.body()) != 1) {
            throw new IllegalStateException("upload: HTTP " + response.statusCode() + " " + response.body());
        }
        return ms;
    }

    static double ping() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base("/ping")).timeout(Duration.ofSeconds(10)).GET().build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ping: HTTP " + response.statusCode());
        }
        return ms;
    }

    static byte[] multipart(String boundary, String filename, byte[] content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write(content);
        b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    static int jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    static int countCompleted(Path dir) throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.readString(p).contains("\"status\":\"completed\"")) {
                    n++;
                }
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- the gateway process

    static void startGateway(Path buckets) throws Exception {
        port = freePort();
        mgmtPort = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(gatewayJvmOpts);
        cmd.addAll(List.of(
                "-Dcamel.server.port=" + port,
                "-Dcamel.management.port=" + mgmtPort,
                "-Dgateway.data-dir=" + dataDir,
                "-Dgateway.local.root=" + buckets,
                "-Dgateway.demo.enabled=true",
                // processorLastMs reads a processor's MBean: registered only at the Default level
                "-Dcamel.main.jmxManagementMBeansLevel=Default",
                // its folders are in buckets of their own (bench-*), which a request may name only when allowed
                "-Dgateway.gcs.allowed-buckets=*",
                // the benchmark queues 10,000-image folders again and again as one (anonymous) caller: lift the
                // quotas that protect other callers, so they measure acceptance, not refusals
                "-Dgateway.queue.max-backlog=10000000",
                "-Dgateway.queue.max-backlog-per-caller=10000000",
                "-jar", jar.toString()));
        Path logFile = work.resolve("gateway.log");
        gateway = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        pid = gateway.pid();
        log("gateway pid " + pid + " on 127.0.0.1:" + port + " (management " + mgmtPort + "), log " + logFile);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long t0 = System.nanoTime();
        while (true) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("gateway exited: see " + logFile);
            }
            try {
                if (http.send(HttpRequest.newBuilder(base("/ping")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway not ready within 180 s: see " + logFile);
            }
            Thread.sleep(200);
        }
        log(String.format("/ping 200 after %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    static synchronized void stopGateway() {
        if (gateway == null || !gateway.isAlive()) {
            return;
        }
        log("stopping gateway pid " + pid);
        try {
            if (jmxConnector != null) {
                jmxConnector.close();
            }
        } catch (IOException e) {
            // the gateway is going anyway
        }
        gateway.destroy(); // SIGTERM to the PID this program started
        try {
            if (!gateway.waitFor(45, java.util.concurrent.TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
                gateway.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            gateway.destroyForcibly();
        }
    }

    /** The local JMX agent of the child, by PID (no remote port is opened). */
    static void attach() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        String address = vm.startLocalManagementAgent();
        vm.detach();
        jmxConnector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        jmx = jmxConnector.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(jmx, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        Set<ObjectName> queues = jmx.queryNames(new ObjectName(
                "org.apache.activemq.artemis:component=addresses,subcomponent=queues,queue=\"gateway.jobs\",*"), null);
        if (queues.size() != 1) {
            throw new IllegalStateException("job queue MBean not found: " + queues);
        }
        jobsQueue = queues.iterator().next();
    }

    static ObjectName route(String id) throws Exception {
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + id + "\",*"), null);
        if (names.size() != 1) {
            throw new IllegalStateException("route MBean " + id + ": " + names);
        }
        return names.iterator().next();
    }

    static void routeOp(String id, String op) throws Exception {
        jmx.invoke(route(id), op, null, null);
    }

    /** LastProcessingTime of the processor of a route whose definition mentions the given bean (-1 if none). */
    static double processorLastMs(String routeId, String bean) throws Exception {
        for (ObjectName p : jmx.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null)) {
            if (routeId.equals(jmx.getAttribute(p, "RouteId"))) {
                String d = String.valueOf(jmx.invoke(p, "dumpProcessorAsXml", null, null));
                if (d.contains("\"" + bean + "\"") || d.contains(bean + "?")) {
                    return ((Number) jmx.getAttribute(p, "LastProcessingTime")).doubleValue();
                }
            }
        }
        return -1;
    }

    static double routeLastMs(String id) throws Exception {
        return ((Number) jmx.getAttribute(route(id), "LastProcessingTime")).doubleValue();
    }

    /** Empties the job queue (the worker is stopped), so every run starts from the same state. */
    static void purge() throws Exception {
        jmx.invoke(jobsQueue, "removeAllMessages", null, null);
        long left = ((Number) jmx.getAttribute(jobsQueue, "MessageCount")).longValue();
        if (left != 0) {
            throw new IllegalStateException(left + " jobs left after purge");
        }
    }

    static double heapAfterGcMb() throws Exception {
        memory.gc();
        Thread.sleep(200);
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    static long procStatusKb(String key) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- report

    static String report(List<Row> rows, Map<String, String> up, int smallBytes, int bigBytes, long hwmFoldersKb, long hwmKb)
            throws Exception {
        StringBuilder s = new StringBuilder();
        String when = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        s.append("# OCT Inference Gateway benchmark\n\n");
        s.append("- when: ").append(when).append("\n");
        s.append("- commit: ").append(sh("git", "rev-parse", "--short", "HEAD")).append(" (")
                .append(sh("git", "rev-parse", "--abbrev-ref", "HEAD")).append(")\n");
        s.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", gateway JVM options: ")
                .append(gatewayJvmOpts.isEmpty() ? "(none, JVM defaults)" : String.join(" ", gatewayJvmOpts)).append("\n");
        s.append("- ").append(runs).append(" measured runs per size after ").append(warmups)
                .append(" warm-up runs; job-worker route stopped (acceptance only); job queue purged after every run\n\n");

        double base = rows.get(0).medianMs;
        s.append("## POST /bucket_invocations (local provider), baseline: the 1-image folder\n\n");
        s.append("| folder | images | file size | median ms | ratio to 1-image | ms per image | min–max ms | listing route ms | jobs + queue + log step ms | accept route ms | heap after GC, jobs queued MB | heap after GC, queue purged MB | RSS MB | peak RSS so far MB |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            s.append(String.format("| %s | %,d | %,d B | %.1f | %.1f | %.3f | %.1f–%.1f | %.0f | %.0f | %.0f | %.1f | %.1f | %.0f | %.0f |\n",
                    r.folder, r.images, r.fileBytes, r.medianMs, r.medianMs / base, r.medianMs / r.images,
                    r.minMs, r.maxMs, r.listMs, r.jobsMs, r.acceptMs, r.heapQueuedMb, r.heapPurgedMb, r.rssMb, r.hwmMb));
        }
        s.append(String.format("%nPeak RSS of the gateway (VmHWM): %.0f MB after the folders (warm-ups included), %.0f MB after the uploads too.%n",
                hwmFoldersKb / 1024.0, hwmKb / 1024.0));
        for (Row r : rows) {
            if (r.images == 1000 && r.fileBytes == smallBytes) {
                s.append(String.format("%nTarget (issue 3 item 6): a 1,000-image folder answered within about a second on this machine."
                        + " Measured: median %.0f ms → %s.%n", r.medianMs, r.medianMs <= 1000 ? "met" : r.medianMs <= 1300 ? "about met" : "NOT met"));
            }
        }
        s.append("\n## POST /invocations (upload of the ").append(up.get("upload_bytes"))
                .append("-byte 512×496 sample), baseline: GET /ping\n\n");
        s.append("| request | median ms | ratio to /ping |\n|---|---:|---:|\n");
        s.append("| GET /ping | ").append(up.get("ping_ms")).append(" | 1.0 |\n");
        s.append("| POST /invocations | ").append(up.get("upload_ms")).append(" | ").append(up.get("upload_ratio")).append(" |\n");
        if (up.containsKey("e2e_rate")) {
            s.append("\n## ").append(uploads).append(" uploads, concurrency ").append(uploadConcurrency)
                    .append(", baseline: the same uploads answered only (worker stopped)\n\n");
            s.append("| what | seconds | jobs/s | ratio to answered-only |\n|---|---:|---:|---:|\n");
            s.append("| answered only (queued, nothing delivered) | ").append(up.get("accept_s")).append(" | ")
                    .append(up.get("accept_rate")).append(" | 1.00 |\n");
            s.append("| end to end: demo inference server → demo webhook sink | ").append(up.get("e2e_s")).append(" | ")
                    .append(up.get("e2e_rate")).append(" | ").append(up.get("e2e_ratio")).append(" |\n");
            s.append("\n").append(up.get("completed")).append(" of ").append(uploads)
                    .append(" envelopes in the sink have status completed.\n");
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- helpers

    /** n PNG files in bucket/folder; with hardLinks, files after the first (or all, from linkFrom) are hard links. */
    static Folder makeFolder(Path buckets, String bucket, String folder, int n, byte[] png, boolean hardLinks,
                             Path linkFrom) throws IOException {
        Path dir = buckets.resolve(bucket).resolve(folder);
        Files.createDirectories(dir);
        Path first = null;
        for (int i = 1; i <= n; i++) {
            String name = String.format("slice-%05d.png", i);
            Path file = dir.resolve(name);
            if (linkFrom != null) {
                Files.createLink(file, linkFrom.resolve(name));
            } else if (hardLinks && first != null) {
                Files.createLink(file, first); // same bytes on disk once; the listing sees n files of full size
            } else {
                Files.write(file, png);
                first = file;
            }
        }
        String label = String.format("%,d image%s", n, n == 1 ? "" : "s") + (png.length > 100_000 ? String.format(" × %,d KB", png.length / 1024) : "");
        return new Folder(bucket, folder, n, png.length, label);
    }

    static byte[] noisePng(int w, int h, long seed) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(image, "png", b);
        return b.toByteArray();
    }

    static URI base(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    static String fmt(double[] v) {
        List<String> s = new ArrayList<>();
        for (double d : v) {
            s.add(String.format("%.0f", d));
        }
        return String.join(",", s);
    }

    static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return o;
        } catch (Exception e) {
            return "?";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void log(String m) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + m);
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmups" -> warmups = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--big" -> bigFiles = Integer.parseInt(args[++i]);
                case "--uploads" -> uploads = Integer.parseInt(args[++i]);
                case "--concurrency" -> uploadConcurrency = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Paths.get(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--jfr" -> jfr = Paths.get(args[++i]);
                case "--keep" -> keep = true;
                case "--gateway-jvm-opt" -> gatewayJvmOpts.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (options: --runs N --warmups N --sizes 1,1000,10000 --big N --uploads N --concurrency N"
                        + " --jar PATH --out FILE --jfr FILE --keep --gateway-jvm-opt -Xmx512m)");
            }
        }
        if (sizes.length == 0 || sizes[0] != 1) {
            throw new IllegalArgumentException("--sizes must start with 1 (the baseline)");
        }
    }
}
