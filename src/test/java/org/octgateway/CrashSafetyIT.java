package org.octgateway;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety of the real jar: 20 uploads accepted while the inference server holds every call, a SIGKILL,
 * a restart on the same data dir, and every accepted job still reaches the webhook (at least once).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashSafetyIT {

    private static final int JOBS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer inference = new WireMockServer(options().dynamicPort().containerThreads(40));
    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> gateways = new ArrayList<>();
    private Path dataDir;

    @BeforeAll
    void startPeers() throws IOException {
        inference.start();
        webhook.start();
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        Files.createDirectories(Path.of("target", "test-data"));
        dataDir = Files.createTempDirectory(Path.of("target", "test-data").toAbsolutePath(), "crash-safety-");
    }

    @AfterAll
    void stopEverything() {
        gateways.forEach(Process::destroyForcibly);
        inference.stop();
        webhook.stop();
    }

    @Test
    void jobsAcceptedBeforeAKillMinus9AreAllDeliveredAfterARestart() throws Exception {
        // The inference server holds every call: accepted jobs wait in the queue or in flight.
        inference.stubFor(post(urlPathEqualTo("/inference"))
                .willReturn(okJson("{\"slow\":true}").withFixedDelay(30_000)));

        int port = TestPorts.free();
        Process first = startGateway(port, "first-run");
        awaitPing(port, first);

        Set<String> accepted = new TreeSet<>();
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> answer = upload(port, "scan-" + i + ".png", TestImages.png(1000 + i));
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode body = JSON.readTree(answer.body());
            assertEquals("sent", body.path("status").asText());
            accepted.add(body.path("request_uuid").asText());
        }
        assertEquals(JOBS, accepted.size(), "distinct request_uuids");
        // Two jobs (gateway.inference.concurrency=2) are in flight at the inference server when the gateway dies.
        await().atMost(Duration.ofSeconds(20)).until(() ->
                inference.findAll(postRequestedFor(urlPathEqualTo("/inference"))).size() >= 2);
        assertTrue(webhook.findAll(postRequestedFor(urlPathEqualTo("/hook"))).isEmpty(), "nothing delivered yet");

        // kill -9: no shutdown hook, no graceful stop.
        new ProcessBuilder("kill", "-KILL", Long.toString(first.pid())).inheritIO().start().waitFor();
        assertTrue(first.waitFor(20, TimeUnit.SECONDS), "the gateway did not die");
        assertEquals(128 + 9, first.exitValue(), "exit status of a process killed by SIGKILL");
        // nothing of the dead process is left in its temp directory: Vert.x made a vertx-cache-<uuid> there, removed
        // only by a clean stop, until the gateway turned its class-path file resolving off (GatewayApplication)
        try (var left = Files.list(tmpDir())) {
            assertEquals(List.of(), left.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("vertx-cache-")).toList(), "left in java.io.tmpdir by the killed gateway");
        }

        // The inference server recovers (the newest stub wins); the gateway restarts on the same data dir.
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"slow\":false}")));
        int secondPort = TestPorts.free();
        Process second = startGateway(secondPort, "second-run");
        awaitPing(secondPort, second);

        await("all " + JOBS + " accepted jobs delivered as completed").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> completedAtWebhook().containsAll(accepted));
        Set<String> delivered = completedAtWebhook();
        assertEquals(accepted, delivered, "the webhook got exactly the accepted jobs (duplicates allowed)");
        // and each answered job's record reads completed after the restart (the records are written after the answer,
        // by the state-recorder; RecordsOffTheAnswerPathTest covers one a kill caught before its commit)
        for (String uuid : accepted) {
            await("the record of " + uuid + " reads completed").atMost(Duration.ofSeconds(10))
                    .until(() -> "200 completed".equals(stateOf(secondPort, uuid)));
        }
        assertTrue(second.isAlive());
    }

    private String stateOf(int port, String requestUuid) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/requests/" + requestUuid)).build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + JSON.readTree(answer.body()).path("state").asText();
    }

    /** The gateways' java.io.tmpdir, their own. */
    private Path tmpDir() throws IOException {
        return Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-tmp"));
    }

    private Set<String> completedAtWebhook() {
        return new TreeSet<>(WebhookEnvelopes.completed(webhook, "/hook").keySet());
    }

    private Process startGateway(int port, String name) throws IOException {
        String jar = System.getProperty("gateway.jar", "target/oct-inference-gateway.jar");
        assertTrue(new File(jar).isFile(), "build the jar first (mvn package): " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java,
                "-Dcamel.server.port=" + port,
                "-Dcamel.management.port=" + TestPorts.free(),
                "-Dgateway.data-dir=" + dataDir,
                "-Djava.io.tmpdir=" + tmpDir(),
                "-Dgateway.demo.enabled=false",
                "-Dgateway.inference.url=" + inference.baseUrl() + "/inference",
                "-Dgateway.inference.concurrency=2",
                "-Dgateway.inference.timeout-ms=60000",
                "-Dgateway.inference.retry-delay-ms=200",
                "-Dgateway.webhook.retry-schedule=0s,200ms",
                "-Dgateway.webhook.allowed-hosts=localhost",
                "-jar", jar);
        File log = Path.of("target", "crash-safety-" + name + ".log").toFile();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        gateways.add(process);
        return process;
    }

    private void awaitPing(int port, Process process) {
        await("gateway on " + port + " answers /ping").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertTrue(process.isAlive(), "the gateway exited; see target/crash-safety-*.log");
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ping")).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private HttpResponse<String> upload(int port, String filename, byte[] png) throws Exception {
        Multipart form = new Multipart().file("image", filename, "image/png", png);
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/invocations"))
                .header("Content-Type", form.contentType())
                .header("Webhook-Url", webhook.baseUrl() + "/hook")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

}
