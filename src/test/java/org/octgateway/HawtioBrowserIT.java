package org.octgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watches the gateway in hawtio, in a real browser: starts the gateway jar (demo peers on, one upload
 * so the routes have traffic) and hawtio (tools/hawtio/run.sh, built on first use) as child processes
 * on free ports, then runs {@code src/test/node/hawtio-check.mjs} (playwright-core driving Debian's
 * headless chromium), which connects hawtio to the gateway's {@code /observe/jolokia} and checks that
 * the gateway's routes and its Artemis work queue appear. Screenshots: target/hawtio-routes.png,
 * target/hawtio-queue.png. Logs of the children: target/hawtio-it/.
 *
 * <p>Skipped when /usr/bin/chromium is missing ({@code apt-get install -y chromium}); another binary:
 * {@code -Dhawtio.it.chromium=/path/to/chromium}.
 */
class HawtioBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("hawtio.it.chromium", "/usr/bin/chromium"));
    private static final Path BASEDIR = Path.of("").toAbsolutePath();
    private static final Path TARGET = BASEDIR.resolve("target");
    private static final Path LOGS = TARGET.resolve("hawtio-it");
    private static final Path NODE_DIR = BASEDIR.resolve("src/test/node");
    private static final Duration GATEWAY_START = Duration.ofSeconds(120);
    // the first run builds tools/hawtio (resolves hawtio and Jetty from Maven Central once)
    private static final Duration HAWTIO_START = Duration.ofMinutes(6);

    private static final String SKIP_MESSAGE = "HawtioBrowserIT skipped: " + CHROMIUM
            + " is missing (install it with: apt-get install -y chromium)";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<Process> CHILDREN = new ArrayList<>();

    private static int businessPort;
    private static int managementPort;
    private static int hawtioPort;
    private static Path dataDir;

    @BeforeAll
    static void startGatewayAndHawtio() throws Exception {
        if (!chromiumPresent()) {
            // the test itself reports the skip (an assumption failing here would hide it from the test counts)
            System.out.println(SKIP_MESSAGE);
            return;
        }
        Path gatewayJar = Path.of(System.getProperty("gateway.jar", TARGET.resolve("oct-inference-gateway.jar").toString()));
        assertTrue(Files.isRegularFile(gatewayJar), "gateway jar missing: " + gatewayJar + " (run through mvn verify)");
        assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/playwright-core")),
                "playwright-core missing under " + NODE_DIR + "/node_modules (the build's npm install runs in process-test-resources)");
        Files.createDirectories(LOGS);

        businessPort = TestPorts.free();
        managementPort = TestPorts.free();
        hawtioPort = TestPorts.free();
        dataDir = Files.createTempDirectory("hawtio-it-gateway");

        String java = ProcessHandle.current().info().command().orElse("java");
        start("gateway", new ProcessBuilder(java,
                "-Dcamel.server.port=" + businessPort,
                "-Dcamel.management.port=" + managementPort,
                "-Dgateway.data-dir=" + dataDir,
                "-Dgateway.local.root=" + dataDir.resolve("buckets"),
                "-Dgateway.demo.enabled=true",
                "-Dgateway.inference.url=http://localhost:" + businessPort + "/demo/inference",
                // hawtio's proxy forwards the browser's Origin; Jolokia answers only the allowed ones
                "-Dgateway.management.allowed-origins=http://127.0.0.1:" + hawtioPort,
                "-jar", gatewayJar.toString()));

        ProcessBuilder hawtio = new ProcessBuilder(BASEDIR.resolve("tools/hawtio/run.sh").toString());
        hawtio.environment().put("HAWTIO_PORT", Integer.toString(hawtioPort));
        start("hawtio", hawtio);

        awaitHttp200("gateway readiness", "http://localhost:" + managementPort + "/observe/health/ready", GATEWAY_START);
        upload();
        awaitHttp200("hawtio", "http://127.0.0.1:" + hawtioPort + "/hawtio/", HAWTIO_START);
    }

    @AfterAll
    static void stopChildren() throws Exception {
        for (Process child : CHILDREN) {
            stop(child);
        }
        CHILDREN.clear();
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    @Test
    void hawtioShowsTheGatewayRoutesAndWorkQueue() throws Exception {
        assumeTrue(chromiumPresent(), SKIP_MESSAGE);
        Path routesShot = TARGET.resolve("hawtio-routes.png");
        Path queueShot = TARGET.resolve("hawtio-queue.png");
        Files.deleteIfExists(routesShot);
        Files.deleteIfExists(queueShot);
        Path checkLog = LOGS.resolve("hawtio-check.log");

        Process check = new ProcessBuilder("node", NODE_DIR.resolve("hawtio-check.mjs").toString(),
                "--hawtio", "http://127.0.0.1:" + hawtioPort,
                "--jolokia-port", Integer.toString(managementPort),
                "--out", TARGET.toString(),
                "--routes", "job-worker,accept-upload,deliver-webhook",
                "--queue", "gateway.jobs",
                "--chromium", CHROMIUM.toString())
                .directory(BASEDIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(checkLog.toFile())
                .start();
        CHILDREN.add(check);
        boolean finished = check.waitFor(3, TimeUnit.MINUTES);
        String output = Files.readString(checkLog);
        System.out.println(output);
        assertTrue(finished, "hawtio-check.mjs did not finish within 3 minutes:\n" + output);
        assertEquals(0, check.exitValue(), "hawtio-check.mjs failed:\n" + output);
        assertTrue(Files.size(routesShot) > 0, "no screenshot at " + routesShot);
        assertTrue(Files.size(queueShot) > 0, "no screenshot at " + queueShot);
    }

    private static boolean chromiumPresent() {
        return Files.isExecutable(CHROMIUM);
    }

    private static void start(String name, ProcessBuilder builder) throws IOException {
        Path log = LOGS.resolve(name + ".log");
        Process process = builder.directory(BASEDIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        CHILDREN.add(process);
        System.out.println("Started " + name + " (pid " + process.pid() + "), log: " + log);
    }

    /** SIGTERM to the process and its descendants (run.sh may still be running Maven), then SIGKILL. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void awaitHttp200(String what, String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            for (Process child : CHILDREN) {
                assertTrue(child.isAlive(), "a child process exited early (exit " + (child.isAlive() ? "" : child.exitValue())
                        + ") while waiting for " + what + "; see " + LOGS);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                last = response.statusCode();
                if (last == 200) {
                    return;
                }
            } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + " did not answer 200 at " + url + " within " + timeout + " (last status " + last
                + "); see " + LOGS);
    }

    /** One demo upload, so the routes and the work queue have traffic to show. */
    private static void upload() throws Exception {
        byte[] image = Files.readAllBytes(BASEDIR.resolve("samples/oct-scan-512x496.png"));
        String boundary = "----hawtio-it-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"oct-scan-512x496.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(image);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + businessPort + "/invocations"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Webhook-Url", "http://localhost:" + businessPort + "/demo/webhook")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("Upload: " + response.statusCode() + " " + response.body());
        assertEquals(200, response.statusCode(), "upload refused: " + response.body());
    }


    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
