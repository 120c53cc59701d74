package org.octgateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar with a 512 MB heap takes 20 concurrent 60 MB uploads (1.2 GB) while the inference server keeps
 * failing, so every accepted image waits (in the broker or spooled by a worker retrying it): every answer is 200
 * or 503 busy, never a 500 or a reset connection; /ping answers within a second afterwards; no upload part file
 * is left. Bodies in flight are allowed up to 1 GiB, twice the heap: they can only fit because they are on disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedMemoryIT {

    private static final int UPLOADS = 20;
    private static final int IMAGE_BYTES = 60 * 1024 * 1024;
    private static final String BOUNDARY = "----bounded-memory-it";

    private final WireMockServer inference = new WireMockServer(options().dynamicPort().containerThreads(20));
    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private Path workDir;
    private Path form;
    private GatewayProcess gateway;

    @BeforeAll
    void start() throws IOException {
        inference.start();
        webhook.start();
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        // Never succeeds: accepted jobs wait for retries (the default backoff keeps them minutes).
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(serviceUnavailable().withFixedDelay(500)));
        workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "bounded-memory-");
        form = writeUploadForm(workDir.resolve("upload-form.bin"));
        gateway = new GatewayProcess(workDir, Path.of("target", "bounded-memory-it.log"), List.of("-Xmx512m"), Map.of(
                "gateway.data-dir", workDir.resolve("data").toString(),
                "gateway.demo.enabled", "false",
                "gateway.inference.url", inference.baseUrl() + "/inference",
                "gateway.webhook.allowed-hosts", "localhost", // the test's webhook sink, on this machine
                "gateway.upload.max-bytes-in-flight", Long.toString(1L << 30)));
        gateway.awaitPing(Duration.ofSeconds(90));
    }

    @AfterAll
    void stopAndDeleteData() throws IOException {
        if (gateway != null) {
            gateway.kill();
            gateway.process.onExit().join();
        }
        inference.stop();
        webhook.stop();
        if (workDir != null) { // 2+ GB of images: never keep them after the run
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).filter(p -> !p.toString().endsWith(".log")).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A multipart form holding one 60 MB "PNG" (the PNG signature, then padding: judged by content, accepted). */
    private static Path writeUploadForm(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[1024 * 1024];
            byte[] signature = TestImages.png(1);
            System.arraycopy(signature, 0, block, 0, signature.length);
            out.write(block);
            java.util.Arrays.fill(block, (byte) 0x5A);
            for (int written = block.length; written < IMAGE_BYTES; written += block.length) {
                out.write(block);
            }
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    @Test
    void twentyConcurrent60MbUploadsOnA512MbHeapAnswer200Or503AndThePortStaysResponsive() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(UPLOADS)).build();
        AtomicLong peakHeap = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakHeap.accumulateAndGet(heapUsed(), Math::max), 0, 250, TimeUnit.MILLISECONDS);

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < UPLOADS; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(gateway.business("/invocations"))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .header("Webhook-Url", webhook.baseUrl() + "/hook")
                    .timeout(Duration.ofSeconds(100))
                    .POST(HttpRequest.BodyPublishers.ofFile(form)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            try {
                HttpResponse<String> response = answer.get(110, TimeUnit.SECONDS);
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() != 200 && response.statusCode() != 503) {
                    failures.add(response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                failures.add(e.toString()); // a reset connection or a timeout
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        long pingStarted = System.nanoTime();
        int ping = client.send(HttpRequest.newBuilder(gateway.business("/ping")).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        long pingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pingStarted);
        sampler.shutdownNow();
        String summary = "statuses " + statuses + " in " + seconds + " s, peak heap used " + (peakHeap.get() >> 20)
                + " MiB, /ping " + ping + " in " + pingMs + " ms";
        System.out.println("BoundedMemoryIT: " + summary);

        assertTrue(failures.isEmpty(), failures + " (" + summary + ")");
        assertTrue(statuses.getOrDefault(200, 0) * (long) IMAGE_BYTES > 512L * 1024 * 1024,
                "more image bytes accepted than the heap holds: " + summary);
        assertEquals(200, ping, summary);
        assertTrue(gateway.process.isAlive(), "the gateway died: see " + gateway.log);
        assertFalse(gateway.logText().contains("OutOfMemoryError"), "OutOfMemoryError in " + gateway.log);
        Path uploads = workDir.resolve("data").resolve("uploads");
        await("no upload part file left").atMost(Duration.ofSeconds(10)).until(() -> {
            try (Stream<Path> files = Files.list(uploads)) {
                return files.findAny().isEmpty();
            }
        });
    }

    /** The gateway's heap in use, from its Prometheus metrics (0 when it does not answer in time). */
    private long heapUsed() {
        try {
            String metrics = gateway.getManagement("/observe/metrics").body();
            return (long) Prometheus.series(metrics).entrySet().stream()
                    .filter(e -> e.getKey().startsWith("jvm_memory_used_bytes{") && e.getKey().contains("area=\"heap\""))
                    .mapToDouble(Map.Entry::getValue).sum();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
