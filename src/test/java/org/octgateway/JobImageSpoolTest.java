package org.octgateway;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * While the worker holds a job its image waits in one owner-only spool file, not in memory: every inference
 * attempt (retries included) sends exactly the uploaded bytes, and when the job ends, completed or failed,
 * neither the spool file nor the broker's copy of the image is left on disk.
 */
class JobImageSpoolTest extends GatewayTestSupport {

    /** Over Artemis' 100 KiB large-message threshold: queued as a large message, streamed both ways. */
    private static final int IMAGE_SIZE = 300_000;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.local.root", peers().dataDir.resolve("buckets").toString());
    }

    @BeforeAll
    void webhooksAnswer() {
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @AfterEach
    void noImageBytesAreLeftOnDisk() {
        await("spool and large-message directories empty").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> files(spoolDir()).isEmpty() && files(largeMessagesDir()).isEmpty());
    }

    private Path spoolDir() {
        return peers().dataDir.resolve("spool");
    }

    private Path largeMessagesDir() {
        return peers().dataDir.resolve("broker").resolve("large-messages");
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static byte[] bigPng(int seed) {
        return Arrays.copyOf(TestImages.png(seed), IMAGE_SIZE);
    }

    @Test
    void aJobWaitingForInferenceRetriesKeepsItsImageInOneSpoolFileAndResendsTheSameBytes() throws Exception {
        String exam = "exam-spool-retries";
        // The first answer is slow, so the test can look at the disk while the worker holds the job.
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs(STARTED).willSetStateTo("failed once")
                .willReturn(serviceUnavailable().withFixedDelay(2_000)));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs("failed once").willSetStateTo("failed twice")
                .willReturn(serviceUnavailable()));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs("failed twice").willReturn(okJson("{\"done\":true}")));
        byte[] image = bigPng(21);

        String uuid = accepted(uploadImage("big.png", "image/png", image,
                Map.of("Webhook-Url", webhookUrl("/hooks/spool"), "Examination-ID", exam)));

        // written chunk by chunk as the large message arrives: wait for all of it (the first attempt is held 2 s)
        List<Path> spooled = await("the job's image in the spool").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).until(() -> files(spoolDir()),
                        files -> files.size() == 1 && files.get(0).toFile().length() == IMAGE_SIZE);
        assertArrayEquals(image, Files.readAllBytes(spooled.get(0)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spooled.get(0))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spoolDir())));
        // the queued copy (a large message) is in the broker's directory, which is owner-only too
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(peers().dataDir.resolve("broker"))));

        JsonNode envelope = awaitEnvelope("/hooks/spool", uuid);
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        List<LoggedRequest> calls = inferenceCallsFor(uuid);
        assertEquals(3, calls.size());
        for (LoggedRequest call : calls) {
            assertArrayEquals(image, call.getBody(), "every attempt sends the uploaded bytes");
            assertEquals("image/png", call.getHeader("Content-Type"));
        }
    }

    @Test
    void aSmallUploadIsSentFromItsMessageWithoutASpoolFileAndEveryRetryResendsTheSameBytes() throws Exception {
        String exam = "exam-small-retries";
        // The first answer is slow, so the test can look at the disk while the worker holds the job.
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs(STARTED).willSetStateTo("failed once")
                .willReturn(serviceUnavailable().withFixedDelay(1_000)));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .inScenario(exam).whenScenarioStateIs("failed once").willReturn(okJson("{\"done\":true}")));
        // under Artemis' 100 KiB large-message threshold: the queued message holds the bytes in memory anyway
        byte[] image = TestImages.png(23);

        String uuid = accepted(uploadImage("small.png", "image/png", image,
                Map.of("Webhook-Url", webhookUrl("/hooks/small"), "Examination-ID", exam)));

        // the image is held before the record says running (the inference call comes after that)
        await("the job running").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> get("/requests/" + uuid).body().contains("\"running\""));
        assertEquals(List.of(), files(spoolDir()).stream().map(Path::toString).toList(), "no spool file for a small upload");

        assertEquals("completed", awaitEnvelope("/hooks/small", uuid).path("status").asText());
        List<LoggedRequest> calls = inferenceCallsFor(uuid);
        assertEquals(2, calls.size());
        for (LoggedRequest call : calls) {
            assertArrayEquals(image, call.getBody(), "every attempt sends the uploaded bytes");
            assertEquals("image/png", call.getHeader("Content-Type"));
        }
    }

    @Test
    void aJobThatFailsForGoodLeavesNoImageBehind() {
        String exam = "exam-spool-422";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .willReturn(status(422).withBody("{\"detail\":\"cannot read\"}")));

        String uuid = accepted(uploadImage("big.png", "image/png", bigPng(22),
                Map.of("Webhook-Url", webhookUrl("/hooks/spool-422"), "Examination-ID", exam)));

        assertEquals("error", awaitEnvelope("/hooks/spool-422", uuid).path("status").asText());
    }

    @Test
    void aBucketJobsImageIsSpooledAndSentAsStored() throws Exception {
        String exam = "exam-spool-bucket";
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(exam))
                .willReturn(okJson("{\"done\":true}")));
        byte[] image = bigPng(23);
        Path object = peers().dataDir.resolve("buckets").resolve("oct-input").resolve("exam-spool").resolve("a.png");
        Files.createDirectories(object.getParent());
        Files.write(object, image);

        var answer = send(HttpRequest.newBuilder(gateway("/bucket_invocations"))
                .header("Input-Location", "exam-spool/a.png").header("Examination-ID", exam)
                .header("Webhook-Url", webhookUrl("/hooks/spool-bucket")).POST(HttpRequest.BodyPublishers.noBody()));
        String uuid = accepted(answer);

        assertEquals("completed", awaitEnvelope("/hooks/spool-bucket", uuid).path("status").asText());
        assertArrayEquals(image, inferenceCallsFor(uuid).get(0).getBody());
    }
}
