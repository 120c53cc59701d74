package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar run as a container runs it: from an empty directory outside the checkout (no routes/, no
 * application.properties), configured by environment variables alone (CAMEL_SERVER_PORT, CAMEL_MANAGEMENT_PORT,
 * GATEWAY_*). It answers on the ports the environment names with the routes packaged in the jar, and carries an upload
 * through the inference server (WireMock) to the webhook (WireMock). A routes/ directory in the working directory
 * replaces a packaged route file by its changed copy and adds a new file's routes; an application.properties there
 * overrides the packaged settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunFromAnywhereIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final String RESULT = "{\"layers\":11,\"quality\":0.93}";
    private static final String MARKER_ROUTE = """

            # Added to this copy: the copy is what runs, not the packaged file.
            - route:
                id: delivery-copy-from-working-directory
                from:
                  uri: direct:delivery-copy-from-working-directory
                  steps:
                    - log: "the working directory's copy of delivery.yaml runs"
            """;
    private static final String ADDED_FILE = """
            - route:
                id: added-from-working-directory
                from:
                  uri: direct:added-from-working-directory
                  steps:
                    - log: "a route file only the working directory has"
            """;

    private final WireMockServer inference = new WireMockServer(options().dynamicPort());
    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private final List<Path> workDirs = new ArrayList<>();
    private GatewayProcess gateway;

    @BeforeAll
    void startPeers() {
        inference.start();
        webhook.start();
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson(RESULT)));
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> !gateway.process.isAlive());
        }
    }

    @AfterAll
    void stopPeersAndRemoveWorkDirs() throws IOException {
        inference.stop();
        webhook.stop();
        for (Path dir : workDirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @Test
    void theJarStartedInAnEmptyDirectoryWithOnlyEnvironmentVariablesAnswersAndDeliversAnUpload() throws Exception {
        Path workDir = emptyWorkDir();
        gateway = GatewayProcess.configuredByEnvironment(workDir, Path.of("target", "run-from-anywhere-env-only.log"), Map.of(
                "GATEWAY_DATA_DIR", workDir.resolve("data").toString(),
                "GATEWAY_INFERENCE_URL", inference.baseUrl() + "/inference",
                // a key with dashes (gateway.webhook.allowed-hosts): without it the webhook on localhost is refused (403)
                "GATEWAY_WEBHOOK_ALLOWED_HOSTS", "localhost"));
        gateway.awaitPing(STARTUP);

        HttpResponse<String> health = gateway.getManagement("/observe/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", json(health.body()).path("status").asText(), health.body());

        String uuid = deliveredAndCompleted("/hooks/env-only", 1);
        assertEquals(1, inference.findAll(postRequestedFor(urlPathEqualTo("/inference"))
                .withHeader("X-Request-ID", equalTo(uuid))).size(), "the inference server named by GATEWAY_INFERENCE_URL");
        assertTrue(Files.isDirectory(workDir.resolve("data").resolve("broker")), "the journal is in GATEWAY_DATA_DIR");

        String log = gateway.logText();
        assertTrue(log.contains("Route files file:routes/*.yaml: no such directory"), log);
        assertTrue(log.contains("Route file delivery.yaml from classpath:routes/*.yaml"), log);
        assertFalse(Files.exists(workDir.resolve("routes")));
    }

    @Test
    void aRoutesDirectoryInTheWorkingDirectoryReplacesAPackagedFileAndAddsANewOne() throws Exception {
        Path workDir = emptyWorkDir();
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        Files.writeString(routes.resolve("delivery.yaml"), Files.readString(Path.of("routes", "delivery.yaml")) + MARKER_ROUTE);
        Files.writeString(routes.resolve("added-by-engineer.yaml"), ADDED_FILE);
        // this setting only in the working directory's settings file: the webhook on localhost is refused without it
        Files.writeString(workDir.resolve("application.properties"), "gateway.webhook.allowed-hosts=localhost\n");
        gateway = GatewayProcess.configuredByEnvironment(workDir, Path.of("target", "run-from-anywhere-routes-dir.log"), Map.of(
                "GATEWAY_DATA_DIR", workDir.resolve("data").toString(),
                "GATEWAY_INFERENCE_URL", inference.baseUrl() + "/inference"));
        gateway.awaitPing(STARTUP);

        // where each route was read from, as the management port (Jolokia, what hawtio shows) tells it
        Map<String, String> sources = routeSources();
        assertEquals("file:routes/added-by-engineer.yaml", withoutLine(sources.get("added-from-working-directory")), sources.toString());
        assertEquals("file:routes/delivery.yaml", withoutLine(sources.get("delivery-copy-from-working-directory")), sources.toString());
        List<String> fromDeliveryFiles = sources.values().stream().filter(s -> s.contains("delivery.yaml")).toList();
        assertTrue(fromDeliveryFiles.size() >= 2, sources.toString());
        assertTrue(fromDeliveryFiles.stream().allMatch(s -> s.startsWith("file:routes/delivery.yaml")),
                "every delivery.yaml route is the working directory's copy, none the packaged one: " + sources);
        assertTrue(sources.values().stream().anyMatch(s -> s.contains(".jar!/routes/")),
                "the other route files are the packaged ones: " + sources);

        JsonNode health = json(gateway.getManagement("/observe/health?exposureLevel=full").body());
        assertEquals("UP", checkStatus(health, "route:added-from-working-directory"), health.toString());
        assertEquals("UP", checkStatus(health, "route:delivery-copy-from-working-directory"), health.toString());

        // the copy delivers, and the working directory's application.properties let the webhook host in
        deliveredAndCompleted("/hooks/routes-dir", 2);

        String log = gateway.logText();
        assertTrue(log.contains("Route file delivery.yaml from file:routes/*.yaml: file:routes/delivery.yaml "
                + "(replaces the one from classpath:routes/*.yaml)"), log);
        assertTrue(log.contains("Route file added-by-engineer.yaml from file:routes/*.yaml"), log);
    }

    /** Uploads an image to the gateway, waits for its completed envelope at the webhook, returns its request_uuid. */
    private String deliveredAndCompleted(String hook, int seed) {
        HttpResponse<String> answer = gateway.upload("scan-" + seed + ".png", TestImages.png(seed), webhook.baseUrl() + hook);
        assertEquals(200, answer.statusCode(), answer.body());
        String uuid = json(answer.body()).path("request_uuid").asText();
        JsonNode envelope = await("envelope of " + uuid + " at " + hook).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> webhook.findAll(postRequestedFor(urlPathEqualTo(hook))).stream()
                        .map(call -> json(call.getBodyAsString()))
                        .filter(body -> uuid.equals(body.path("request_uuid").asText())).findFirst(), Optional::isPresent)
                .get();
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        assertEquals(json(RESULT), envelope.path("result"), envelope.toString());
        return uuid;
    }

    /** Route id → its SourceLocation (file and line), read from the route MBeans through Jolokia. */
    private Map<String, String> routeSources() throws IOException, InterruptedException {
        String request = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=*,type=routes,name=*\","
                + "\"attribute\":[\"RouteId\",\"SourceLocation\"]}";
        HttpResponse<String> answer = GatewayProcess.HTTP.send(HttpRequest.newBuilder(gateway.management("/observe/jolokia"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode routes = json(answer.body()).path("value");
        assertFalse(routes.isEmpty(), answer.body());
        Map<String, String> sources = new TreeMap<>();
        routes.forEach(route -> sources.put(route.path("RouteId").asText(), route.path("SourceLocation").asText("")));
        return sources;
    }

    /** "file:routes/delivery.yaml:42" → "file:routes/delivery.yaml" (null stays null). */
    private static String withoutLine(String sourceLocation) {
        return sourceLocation == null ? null : sourceLocation.replaceFirst(":\\d+$", "");
    }

    private static String checkStatus(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return "absent";
    }

    /** A new empty directory outside the checkout. */
    private Path emptyWorkDir() throws IOException {
        Path dir = Files.createTempDirectory("oct-gateway-anywhere-");
        workDirs.add(dir);
        return dir;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
