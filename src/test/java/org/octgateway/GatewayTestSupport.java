package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts the whole gateway (camel-main, as {@link GatewayApplication} does: the Java routes and beans of
 * this package, routes/*.yaml, application.properties) once per test class, on free ports, with a fresh
 * data dir (so a fresh embedded broker journal), the demo peers off, and two real HTTP servers (WireMock):
 * one plays the inference server, one the callers' webhooks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayTestSupport extends CamelMainTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
    static final Path TEST_DATA = Path.of("target", "test-data").toAbsolutePath();

    // Set while CamelTestSupport's constructor asks for the override properties (before field
    // initializers of this class would run), hence no initializers on these fields.
    private Peers peers;

    /** Per class: free ports, data dir and peers, created on first use. */
    static final class Peers {
        final int httpPort = TestPorts.free();
        final int managementPort = TestPorts.free();
        final Path dataDir;
        final WireMockServer inference = new WireMockServer(options().dynamicPort());
        final WireMockServer webhooks = new WireMockServer(options().dynamicPort());
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Peers() {
            try {
                // Under target/, kept after the run for diagnosis and removed by mvn clean.
                Files.createDirectories(TEST_DATA);
                dataDir = Files.createTempDirectory(TEST_DATA, "gateway-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            inference.start();
            webhooks.start();
        }
    }

    Peers peers() {
        if (peers == null) {
            peers = new Peers();
        }
        return peers;
    }

    @Override
    protected Class<?> getMainClass() {
        return GatewayApplication.class;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        GatewayApplication.configure(configuration);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Peers p = peers();
        Properties properties = new Properties();
        properties.setProperty("camel.server.port", Integer.toString(p.httpPort));
        properties.setProperty("camel.management.port", Integer.toString(p.managementPort));
        properties.setProperty("gateway.data-dir", p.dataDir.toString());
        properties.setProperty("gateway.demo.enabled", "false");
        properties.setProperty("gateway.inference.url", p.inference.baseUrl() + "/inference");
        properties.setProperty("gateway.inference.retry-delay-ms", "50");
        properties.setProperty("gateway.inference.max-retry-delay-ms", "200");
        properties.setProperty("gateway.inference.timeout-ms", "10000");
        properties.setProperty("gateway.webhook.retry-schedule", "0s,50ms,100ms,200ms");
        // The webhook peer is WireMock on http://localhost:<port>: loopback, which the SSRF guard refuses unless the
        // host is listed exactly (WebhookAddressGuardTest clears this to test the shipped settings).
        properties.setProperty("gateway.webhook.allowed-hosts", "localhost");
        // Every test's webhooks share that one host: let them through together, as distinct hosts would be.
        properties.setProperty("gateway.webhook.per-host-concurrency", "8");
        properties.setProperty("gateway.webhook.timeout-ms", "5000");
        properties.setProperty("camel.main.shutdownTimeout", "5");
        overrideProperties(properties);
        return properties;
    }

    /** Test classes add or change settings here (called during construction: use no instance fields). */
    protected void overrideProperties(Properties properties) {
    }

    @AfterAll
    void stopGatewayThenPeers() {
        // With a context per class, camel-test-junit5 only closes it when the whole run ends: the embedded
        // broker (in-VM acceptor "vm://0", one per JVM) and the ports would still be held by this class when
        // the next one starts. Stop the gateway here, before its peers go away.
        if (context != null) {
            context.stop();
        }
        stopOwnPeers();
        peers.inference.stop();
        peers.webhooks.stop();
    }

    /**
     * Test classes stop the peers they started themselves here (an external broker), after the gateway: stopped
     * first, it would wait out its shutdown timeout on connections to nothing. JUnit runs a subclass's own
     * {@code @AfterAll} before this class's.
     */
    protected void stopOwnPeers() {
    }

    // ---- the peers -----------------------------------------------------------------------------

    WireMockServer inference() {
        return peers().inference;
    }

    WireMockServer webhooks() {
        return peers().webhooks;
    }

    /** A webhook URL of its own for each test, so tests never see each other's deliveries. */
    String webhookUrl(String path) {
        return webhooks().baseUrl() + path;
    }

    /** What the inference server received for one job (matched by X-Request-ID). */
    List<LoggedRequest> inferenceCallsFor(String requestUuid) {
        return inference().findAll(postRequestedFor(urlPathEqualTo("/inference"))
                .withHeader("X-Request-ID", equalTo(requestUuid)));
    }

    List<LoggedRequest> webhookCalls(String path) {
        return webhooks().findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    /** Waits for the webhook at {@code path} to receive the envelope of {@code requestUuid}, and returns it. */
    JsonNode awaitEnvelope(String path, String requestUuid) {
        return Awaitility.await("webhook envelope for " + requestUuid).atMost(DELIVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> envelopesAt(path, requestUuid).stream().findFirst(), Optional::isPresent).get();
    }

    /** The envelopes of {@code requestUuid} the webhook at {@code path} received, oldest first. */
    List<JsonNode> envelopesAt(String path, String requestUuid) {
        return webhookCalls(path).stream()
                .map(call -> json(call.getBodyAsString()))
                .filter(envelope -> requestUuid.equals(envelope.path("request_uuid").asText()))
                .toList();
    }

    /** Uploads {@code image} as the field 'image' and returns the request_uuid of the 200 answer. */
    String accepted(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = json(answer.body());
        assertEquals("sent", body.path("status").asText(), answer.body());
        String uuid = body.path("request_uuid").asText();
        assertFalse(uuid.isBlank(), answer.body());
        return uuid;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return fail("not JSON: " + text);
        }
    }

    // ---- the client ----------------------------------------------------------------------------

    URI gateway(String path) {
        return URI.create("http://localhost:" + peers().httpPort + path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(gateway(path)).GET());
    }

    HttpResponse<String> upload(Multipart form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway("/invocations"))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        headers.forEach(request::header);
        return send(request);
    }

    HttpResponse<String> uploadImage(String filename, String declaredType, byte[] image, Map<String, String> headers) {
        return upload(new Multipart().file("image", filename, declaredType, image), headers);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return peers().http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the management port (health, metrics, Jolokia) ---------------------------------------------

    URI management(String path) {
        return URI.create("http://localhost:" + peers().managementPort + path);
    }

    HttpResponse<String> getManagement(String path) {
        return send(HttpRequest.newBuilder(management(path)).GET());
    }

    /** The full health output, with each check's details ({@code data=true}), as JSON. */
    JsonNode fullHealth() {
        HttpResponse<String> answer = getManagement("/observe/health?exposureLevel=full&data=true");
        return json(answer.body());
    }

    /** Readiness, liveness and overall health all answer 200, overall "UP". */
    void assertReadyLiveAndUp() {
        HttpResponse<String> ready = getManagement("/observe/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> live = getManagement("/observe/health/live");
        assertEquals(200, live.statusCode(), live.body());
        HttpResponse<String> health = getManagement("/observe/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", json(health.body()).path("status").asText(), health.body());
    }

    /** One check of the full health output, or a missing node. */
    JsonNode healthCheck(String name) {
        for (JsonNode check : fullHealth().path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The value of one Prometheus series at /observe/metrics, e.g. {@code gateway_dead_letters}. */
    Optional<Double> metricValue(String series) {
        return Prometheus.value(getManagement("/observe/metrics").body(), series);
    }

    /** POSTs one Jolokia request (JSON) to /observe/jolokia and returns Jolokia's JSON answer. */
    JsonNode jolokia(String request) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(management("/observe/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
        assertEquals(200, answer.statusCode(), answer.body()); // Jolokia reports errors in the JSON "status"
        return json(answer.body());
    }

}
