package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void bucketNameThatIsNotABucketNameIs400() {
        HttpResponse<String> answer = send(java.net.http.HttpRequest.newBuilder(gateway(endpoint()))
                .header("Input-Location", "exam1").header("Webhook-Url", webhookUrl(hook()))
                .header("Input-Bucket-Name", "../../etc").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(json(answer.body()).path("message").asText().contains("Input-Bucket-Name"), answer.body());
    }
}
