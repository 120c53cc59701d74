package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every bucket endpoint does, whatever its provider: each subclass runs these against one real
 * provider (a folder, Google's in-process LocalStorageHelper, Azurite, S3Proxy) behind one endpoint.
 */
abstract class BucketEndpointContract extends GatewayTestSupport {

    static final String INPUT = "exams-in";
    static final String OUTPUT = "results-out";

    /** The endpoint under test, e.g. /bucket_invocations. */
    abstract String endpoint();

    /** The test's own access to the provider. */
    abstract BucketStore store();

    /** The provider's settings (backend, credentials); the buckets are set here. */
    abstract void providerProperties(Properties properties);

    @Override
    protected final void overrideProperties(Properties properties) {
        properties.setProperty("gateway.gcs.input-bucket", INPUT);
        properties.setProperty("gateway.gcs.output-bucket", OUTPUT);
        properties.setProperty("gateway.azure.input-container", INPUT);
        properties.setProperty("gateway.azure.output-container", OUTPUT);
        properties.setProperty("gateway.s3.input-bucket", INPUT);
        properties.setProperty("gateway.s3.output-bucket", OUTPUT);
        providerProperties(properties);
    }

    @BeforeEach
    void inferenceAnswersWithWhatItReceived() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"layers\":7,\"request\":\"{{request.headers.X-Request-ID}}\"}")
                .withTransformers("response-template")));
        webhooks().stubFor(post(urlPathEqualTo("/hooks/" + getClass().getSimpleName())).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void singleObjectIsOneJobWithScalarAnswer() {
        byte[] scan = TestImages.png(11);
        store().put(INPUT, "single/scan.png", scan);

        HttpResponse<String> sent = invoke("single/scan.png", Map.of());
        JsonNode answer = accepted200(sent);
        assertEquals(String.valueOf(sent.body().getBytes(StandardCharsets.UTF_8).length),
                sent.headers().firstValue("Content-Length").orElse("none (chunked)"), "the answer is written whole, with its length");

        assertEquals("single/scan.png", answer.path("filename").asText());
        assertTrue(answer.path("result_path").isNull(), answer.toString());
        String uuid = answer.path("request_uuid").asText();
        JsonNode envelope = awaitEnvelope(hook(), uuid);
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());
        assertEquals(uuid, envelope.path("result").path("request").asText(), "the inference answer is the result");
        assertArrayEquals(scan, inferenceCallsFor(uuid).get(0).getBody(), "the inference server gets the object byte for byte");
    }

    @Test
    void folderListsEveryImageRecursivelyInSortedOrderSkippingOtherObjects() {
        Map<String, byte[]> images = new HashMap<>();
        for (String name : List.of("exam1/b.png", "exam1/a.png", "exam1/nested/deeper/c.png")) {
            images.put(name, TestImages.png(name.hashCode()));
            store().put(INPUT, name, images.get(name));
        }
        store().put(INPUT, "exam1/notes.txt", "not an image".getBytes());
        store().putFolderPlaceholder(INPUT, "exam1/empty/");
        store().put(INPUT, "exam10/other.png", TestImages.png(99));

        for (String location : List.of("exam1", "exam1/")) {
            JsonNode answer = accepted200(invoke(location, Map.of()));

            List<String> names = texts(answer.path("filename"));
            assertEquals(List.of("exam1/a.png", "exam1/b.png", "exam1/nested/deeper/c.png"), names, answer.toString());
            List<String> uuids = texts(answer.path("request_uuid"));
            assertEquals(3, uuids.size());
            assertEquals(3, answer.path("result_path").size(), "arrays in correspondence");
            for (int i = 0; i < names.size(); i++) {
                awaitEnvelope(hook(), uuids.get(i));
                assertArrayEquals(images.get(names.get(i)), inferenceCallsFor(uuids.get(i)).get(0).getBody(),
                        names.get(i) + " reaches the inference server byte for byte, under its own request_uuid");
            }
        }
    }

    @Test
    void writeToGcsTrueWritesEachResultAtItsResultPathAndTheWebhookAnnouncesIt() {
        store().put(INPUT, "exam2/one.png", TestImages.png(21));
        store().put(INPUT, "exam2/sub/two.png", TestImages.png(22));

        JsonNode answer = accepted200(invoke("exam2", Map.of("Write-To-GCS", "TRUE")));

        List<String> paths = texts(answer.path("result_path"));
        assertEquals(List.of("results/exam2/one.png.json", "results/exam2/sub/two.png.json"), paths);
        List<String> uuids = texts(answer.path("request_uuid"));
        for (int i = 0; i < uuids.size(); i++) {
            JsonNode envelope = awaitEnvelope(hook(), uuids.get(i));
            assertEquals(paths.get(i), envelope.path("result_path").asText(), envelope.toString());
            // Announced means written: the object is there as soon as the webhook has the envelope.
            byte[] stored = store().get(OUTPUT, paths.get(i)).orElseThrow(() -> new AssertionError("no result object"));
            JsonNode result = json(new String(stored));
            assertEquals(uuids.get(i), result.path("request_uuid").asText());
            assertEquals(7, result.path("result").path("layers").asInt(), "the stored result holds the inference answer");
        }
    }

    @Test
    void namesThatDifferOnlyInExtensionOrCaseGetOneResultEachAllWritten() {
        Map<String, byte[]> images = Map.of("collide/scan.png", TestImages.png(51), "collide/scan.PNG", TestImages.png(52),
                "collide/scan.tiff", TestImages.tiff());
        images.forEach((name, bytes) -> store().put(INPUT, name, bytes));

        JsonNode answer = accepted200(invoke("collide/", Map.of("Write-To-GCS", "true")));

        List<String> names = texts(answer.path("filename"));
        List<String> paths = texts(answer.path("result_path"));
        List<String> uuids = texts(answer.path("request_uuid"));
        assertEquals(3, names.size(), answer.toString());
        assertEquals(3, paths.stream().distinct().count(), "three objects, three result paths: " + paths);
        for (int i = 0; i < names.size(); i++) {
            assertEquals("results/" + names.get(i) + ".json", paths.get(i));
            awaitEnvelope(hook(), uuids.get(i));
            byte[] stored = store().get(OUTPUT, paths.get(i)).orElseThrow(() -> new AssertionError("no result object"));
            assertEquals(uuids.get(i), json(new String(stored)).path("request_uuid").asText(),
                    paths.get(i) + " holds its own object's result, not another one's");
        }
    }

    /** Local and GCS run with no allow-list set (the configured buckets only); Azure lists one more container. */
    @Test
    void bucketsOutsideTheAllowedOnesAre403WhileTheConfiguredOnesWork() {
        store().put(INPUT, "allowed/scan.png", TestImages.png(61));
        accepted200(invoke("allowed/scan.png", Map.of("Input-Bucket-Name", INPUT, "Output-Bucket-Name", OUTPUT,
                "Write-To-GCS", "true")));

        for (Map<String, String> headers : List.of(Map.of("Input-Bucket-Name", "patients-all"),
                Map.of("Output-Bucket-Name", "patients-all", "Write-To-GCS", "true"))) {
            HttpResponse<String> answer = invoke("allowed/scan.png", headers);

            assertEquals(403, answer.statusCode(), headers + " -> " + answer.body());
            JsonNode body = json(answer.body());
            assertEquals("bucket_not_allowed", body.path("error").asText(), answer.body());
            assertTrue(body.path("message").asText().contains(headers.keySet().stream()
                    .filter(h -> h.endsWith("Bucket-Name")).findFirst().orElseThrow()), answer.body());
        }
    }

    @Test
    void writeToGcsFalseWritesNothing() {
        store().put(INPUT, "exam3/one.png", TestImages.png(31));

        JsonNode answer = accepted200(invoke("exam3/one.png", Map.of("Write-To-GCS", "no")));

        JsonNode envelope = awaitEnvelope(hook(), answer.path("request_uuid").asText());
        assertTrue(envelope.path("result_path").isNull(), envelope.toString());
        assertTrue(store().get(OUTPUT, "results/exam3/one.png.json").isEmpty(), "nothing written");
    }

    @Test
    void emptyLocationIs404() {
        HttpResponse<String> answer = invoke("no-such-exam/", Map.of());

        assertEquals(404, answer.statusCode(), answer.body());
        assertEquals("not_found", json(answer.body()).path("error").asText());
    }

    @Test
    void writeToGcsThatIsNotABooleanIs400() {
        HttpResponse<String> answer = invoke("exam1", Map.of("Write-To-GCS", "maybe"));

        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(json(answer.body()).path("message").asText().contains("Write-To-GCS"), answer.body());
    }

    @Test
    void imageThatDisappearsBeforeItIsFetchedFailsOnlyItsOwnJob() throws Exception {
        store().put(INPUT, "exam4/kept.png", TestImages.png(41));
        store().put(INPUT, "exam4/vanishing.png", TestImages.png(42));
        context.getRouteController().stopRoute("job-worker");
        List<String> uuids;
        try {
            uuids = texts(accepted200(invoke("exam4", Map.of())).path("request_uuid"));
            store().delete(INPUT, "exam4/vanishing.png");
        } finally {
            context.getRouteController().startRoute("job-worker");
        }

        JsonNode kept = awaitEnvelope(hook(), uuids.get(0));
        JsonNode vanished = awaitEnvelope(hook(), uuids.get(1));
        assertEquals("completed", kept.path("status").asText(), kept.toString());
        assertEquals("error", vanished.path("status").asText(), vanished.toString());
        assertTrue(vanished.path("error").asText().contains("exam4/vanishing.png"), vanished.toString());
        assertTrue(inferenceCallsFor(uuids.get(1)).isEmpty(), "nothing is sent for a missing image");
    }

    // ---- helpers -------------------------------------------------------------------------------

    String hook() {
        return "/hooks/" + getClass().getSimpleName();
    }

    HttpResponse<String> invoke(String location, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway(endpoint()))
                .header("Input-Location", location)
                .header("Webhook-Url", webhookUrl(hook()))
                .header("Examination-ID", "exam-" + location.hashCode())
                .POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    static JsonNode accepted200(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = json(answer.body());
        assertEquals("sent", body.path("status").asText(), answer.body());
        return body;
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** For providers whose own not-found is mapped to the neutral one: a missing input bucket answers 404. */
    void assertMissingInputBucketIs404(String missingBucket) {
        HttpResponse<String> answer = invoke("exam/", Map.of("Input-Bucket-Name", missingBucket));
        assertEquals(404, answer.statusCode(), answer.body());
        assertEquals("not_found", json(answer.body()).path("error").asText(), answer.body());
    }

    /**
     * A result the provider cannot write (its output bucket does not exist, yet is allowed) ends the job with an error
     * envelope that names the bucket and the provider's own words for it, and announces no result_path.
     */
    void assertUnwritableResultIsAnErrorEnvelopeNaming(String missingBucket, String providerError) {
        store().put(INPUT, "exam5/one.png", TestImages.png(51));
        JsonNode answer = accepted200(invoke("exam5/one.png",
                Map.of("Write-To-GCS", "true", "Output-Bucket-Name", missingBucket)));
        JsonNode envelope = awaitEnvelope(hook(), answer.path("request_uuid").asText());
        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("result_path").isNull(), "nothing was written, so nothing is announced");
        String error = envelope.path("error").asText();
        assertTrue(error.contains(missingBucket) && error.contains(providerError), error);
    }

}
