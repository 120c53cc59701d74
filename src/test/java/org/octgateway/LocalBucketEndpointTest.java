package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /bucket_invocations on the local provider: one folder per bucket under a temp folder. */
class LocalBucketEndpointTest extends BucketEndpointContract {

    private Path root;

    @Override
    String endpoint() {
        return "/bucket_invocations";
    }

    @Override
    void providerProperties(Properties properties) {
        root = peers().dataDir.resolve("buckets");
        properties.setProperty("gateway.gcs.backend", "local");
        properties.setProperty("gateway.local.root", root.toString());
    }

    @Override
    BucketStore store() {
        return new BucketStore() {
            @Override
            public void put(String bucket, String name, byte[] content) {
                try {
                    Path file = root.resolve(bucket).resolve(name);
                    Files.createDirectories(file.getParent());
                    Files.write(file, content);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Optional<byte[]> get(String bucket, String name) {
                try {
                    Path file = root.resolve(bucket).resolve(name);
                    return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void delete(String bucket, String name) {
                try {
                    Files.delete(root.resolve(bucket).resolve(name));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void putFolderPlaceholder(String bucket, String folder) {
                try {
                    Files.createDirectories(root.resolve(bucket).resolve(folder));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Test
    void aThousandImageFolderIsAnsweredWithAThousandQueuedJobs() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = String.format("big/slice-%04d.png", i);
            store().put(INPUT, name, TestImages.png(i % 7));
            expected.add(name);
        }
        // Hold the worker so the queue shows what the answer promised.
        context.getRouteController().stopRoute("job-worker");
        try {
            JsonNode answer = accepted200(invoke("big/", Map.of()));

            assertEquals(expected, texts(answer.path("filename")));
            assertEquals(1000, answer.path("request_uuid").size());
            assertEquals(1000, texts(answer.path("request_uuid")).stream().distinct().count(), "one uuid per image");
            assertEquals(1000.0, metricValue("gateway_queue_backlog").orElseThrow(), "every job is on the durable queue");
        } finally {
            context.getRouteController().startRoute("job-worker");
        }
        // The next tests' jobs would queue behind these thousand, past their 20 s wait on a loaded machine (CI once
        // failed so): they run to the end here.
        Awaitility.await("the thousand jobs run").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> metricValue("gateway_queue_backlog").orElseThrow() == 0.0);
    }

    @Test
    void locationThatTriesToLeaveTheBucketIs400() {
        for (String location : List.of("../secrets", "exam/../../etc/passwd", "a//b")) {
            HttpResponse<String> answer = invoke(location, Map.of());
            assertEquals(400, answer.statusCode(), location + " -> " + answer.body());
            assertTrue(json(answer.body()).path("message").asText().contains("Input-Location"), answer.body());
        }
    }

    @Test
    void symlinksLeadingOutOfTheBucketAreNeitherListedNorRead() throws Exception {
        byte[] secret = TestImages.png(71);
        Path outside = outsideFolder("outside-read");
        Files.write(outside.resolve("secret.png"), secret);
        store().put(INPUT, "linked/ok.png", TestImages.png(72));
        Path linked = root.resolve(INPUT).resolve("linked");
        Files.createSymbolicLink(linked.resolve("secret.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(linked.resolve("elsewhere"), outside);
        Files.createSymbolicLink(linked.resolve("other-bucket.png"), root.resolve(OUTPUT).resolve("linked-target.png"));
        store().put(OUTPUT, "linked-target.png", TestImages.png(73));

        JsonNode folder = accepted200(invoke("linked/", Map.of()));

        assertEquals(List.of("linked/ok.png"), texts(folder.path("filename")), "only the bucket's own file is listed");
        for (String location : List.of("linked/secret.png", "linked/elsewhere/", "linked/elsewhere/secret.png",
                "linked/other-bucket.png")) {
            HttpResponse<String> answer = invoke(location, Map.of());
            assertEquals(404, answer.statusCode(), location + " -> " + answer.body());
            assertEquals("not_found", json(answer.body()).path("error").asText());
        }
        awaitEnvelope(hook(), folder.path("request_uuid").get(0).asText());
        assertTrue(inference().getAllServeEvents().stream().noneMatch(call -> Arrays.equals(secret, call.getRequest().getBody())),
                "the file outside the bucket never reaches the inference server");
    }

    @Test
    void anObjectSwappedForASymlinkAfterListingFailsItsJobUnread() throws Exception {
        byte[] secret = TestImages.png(74);
        Path outside = outsideFolder("outside-swap");
        Files.write(outside.resolve("secret.png"), secret);
        store().put(INPUT, "swap/scan.png", TestImages.png(75));
        context.getRouteController().stopRoute("job-worker");
        String uuid;
        try {
            uuid = accepted200(invoke("swap/scan.png", Map.of())).path("request_uuid").asText();
            Path scan = root.resolve(INPUT).resolve("swap/scan.png");
            Files.delete(scan);
            Files.createSymbolicLink(scan, outside.resolve("secret.png"));
        } finally {
            context.getRouteController().startRoute("job-worker");
        }

        JsonNode envelope = awaitEnvelope(hook(), uuid);

        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("error").asText().contains("swap/scan.png"), envelope.toString());
        assertTrue(inferenceCallsFor(uuid).isEmpty(), "nothing read through the link is sent");
    }

    @Test
    void aResultFolderThatIsASymlinkOutOfTheBucketIsNotWrittenThrough() throws Exception {
        Path outside = outsideFolder("outside-write");
        store().put(INPUT, "redirected/scan.png", TestImages.png(76));
        Path results = root.resolve(OUTPUT).resolve("results");
        Files.createDirectories(results);
        Files.createSymbolicLink(results.resolve("redirected"), outside);

        JsonNode answer = accepted200(invoke("redirected/scan.png", Map.of("Write-To-GCS", "true")));
        JsonNode envelope = awaitEnvelope(hook(), answer.path("request_uuid").asText());

        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("error").asText().contains("symbolic link"), envelope.toString());
        assertTrue(envelope.path("result_path").isNull(), "nothing is announced as written");
        try (var written = Files.list(outside)) {
            assertEquals(List.of(), written.toList(), "nothing was written outside the bucket");
        }
        assertFalse(envelope.toString().contains(outside.toString()), "the refusal names no local path");
    }

    /** A folder next to the buckets' root, as a link target the gateway must never reach. */
    private Path outsideFolder(String name) throws IOException {
        return Files.createDirectories(peers().dataDir.resolve(name));
    }

    @Test
    void withoutAnAllowListTheOutputBucketIsNoInputAndTheInputBucketNoOutput() {
        store().put(OUTPUT, "exam/scan.png", TestImages.png(77));

        for (Map<String, String> headers : List.of(Map.of("Input-Bucket-Name", OUTPUT),
                Map.of("Output-Bucket-Name", INPUT, "Write-To-GCS", "true"))) {
            HttpResponse<String> answer = invoke("exam/scan.png", headers);
            assertEquals(403, answer.statusCode(), headers + " -> " + answer.body());
            assertEquals("bucket_not_allowed", json(answer.body()).path("error").asText(), answer.body());
        }
    }

    @Test
    void bucketNameThatIsNotABucketNameIs400() {
        HttpResponse<String> answer = send(java.net.http.HttpRequest.newBuilder(gateway(endpoint()))
                .header("Input-Location", "exam1").header("Webhook-Url", webhookUrl(hook()))
                .header("Input-Bucket-Name", "../../etc").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(json(answer.body()).path("message").asText().contains("Input-Bucket-Name"), answer.body());
    }
}
