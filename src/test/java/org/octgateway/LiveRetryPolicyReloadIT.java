package org.octgateway;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance check "editing the retry policy in routes/ of a running gateway takes effect without a restart",
 * on the real jar: the inference server (WireMock) answers 503 to everything; with gateway.inference.max-attempts=2
 * a job is tried twice, then an integration engineer edits the retry policy in routes/inference.yaml of the running
 * gateway to allow 4 attempts, and the next failing job is tried 4 times. Same process throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveRetryPolicyReloadIT {

    private static final String POLICY = "${header.CamelRedeliveryCounter} < {{gateway.inference.max-attempts}}";
    private static final String EDITED_POLICY = "${header.CamelRedeliveryCounter} < 4";

    private final WireMockServer inference = new WireMockServer(options().dynamicPort());
    private final WireMockServer webhook = new WireMockServer(options().dynamicPort());
    private GatewayProcess gateway;
    private Path inferenceYaml;
    private int seed;

    @BeforeAll
    void startGateway() throws IOException {
        inference.start();
        inference.stubFor(post(urlPathEqualTo("/inference")).willReturn(serviceUnavailable()));
        webhook.start();
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        Path workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "retry-reload-");
        inferenceYaml = workDir.resolve("routes/inference.yaml");
        gateway = new GatewayProcess(workDir, Path.of("target", "live-retry-reload-it.log"), Map.of(
                "gateway.data-dir", workDir.resolve("data").toString(),
                "gateway.local.root", workDir.resolve("data/buckets").toString(),
                "gateway.inference.url", inference.baseUrl() + "/inference",
                "gateway.inference.max-attempts", "2",
                "gateway.inference.retry-delay-ms", "50",
                "gateway.inference.max-retry-delay-ms", "100",
                "gateway.webhook.allowed-hosts", "localhost"));
        gateway.awaitPing(Duration.ofSeconds(90));
    }

    @AfterAll
    void stopEverything() {
        if (gateway != null) {
            gateway.kill();
        }
        inference.stop();
        webhook.stop();
    }

    @Test
    void editingTheInferenceRetryPolicyOfARunningGatewayChangesTheAttemptsOfTheNextJob() throws Exception {
        long pid = gateway.process.pid();
        String original = Files.readString(inferenceYaml);
        assertEquals(2, original.split(java.util.regex.Pattern.quote(POLICY), -1).length - 1,
                "routes/inference.yaml no longer has the retry policy this test edits");

        assertEquals(2, inferenceAttemptsOfAFailingJob("/hooks/before"), "gateway.inference.max-attempts=2");

        int logLength = gateway.logText().length();
        Instant edited = Instant.now();
        Files.writeString(inferenceYaml, original.replace(POLICY, EDITED_POLICY));
        await("the reload of routes/inference.yaml").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> reloaded(logLength));
        System.out.println("LiveRetryPolicyReloadIT: call-inference reloaded after "
                + Duration.between(edited, Instant.now()).toMillis() + " ms");

        assertEquals(4, inferenceAttemptsOfAFailingJob("/hooks/after-edit"), "the edited policy: 4 attempts");
        assertEquals(pid, gateway.process.pid());
        assertTrue(gateway.process.isAlive(), "no restart");

        Files.writeString(inferenceYaml, original);
        int restoredAt = gateway.logText().length();
        await("the reload of the original file").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> reloaded(restoredAt));
        assertEquals(2, inferenceAttemptsOfAFailingJob("/hooks/restored"), "the setting again");
    }

    /** Whether the log since {@code from} says call-inference was started again from routes/inference.yaml. */
    private boolean reloaded(int from) {
        return gateway.logText().substring(from).lines()
                .anyMatch(line -> line.contains("Started call-inference") && line.contains("source: inference.yaml"));
    }

    /** Uploads one image, waits for its error envelope at {@code hook}, and counts the inference calls for it. */
    private int inferenceAttemptsOfAFailingJob(String hook) {
        HttpResponse<String> answer = gateway.upload("scan-" + seed + ".png", TestImages.png(400 + seed++), webhook.baseUrl() + hook);
        assertEquals(200, answer.statusCode(), answer.body());
        String uuid = json(answer.body()).path("request_uuid").asText();
        LoggedRequest call = await("error envelope of " + uuid).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> webhook.findAll(postRequestedFor(urlPathEqualTo(hook))), calls -> !calls.isEmpty()).get(0);
        JsonNode envelope = json(call.getBodyAsString());
        assertEquals(uuid, envelope.path("request_uuid").asText());
        assertEquals("error", envelope.path("status").asText(), call.getBodyAsString());
        assertTrue(envelope.path("error").asText().contains("503"), envelope.toString());
        return inference.findAll(postRequestedFor(urlPathEqualTo("/inference")).withHeader("X-Request-ID", equalTo(uuid))).size();
    }

    private static JsonNode json(String text) {
        return GatewayTestSupport.json(text);
    }
}
