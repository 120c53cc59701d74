package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.builder.NotifyBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state of every request, as a caller sees it: GET /requests/{id} through success, inference error, webhook dead
 * letter, cancel and expiry; GET /examinations/{id} with its counts, pages and the one exam_completed envelope;
 * Idempotency-Key on a folder and an upload. Against the embedded H2 store; {@link PostgresRequestStateTest} runs the
 * same against a real PostgreSQL.
 */
class RequestStateTest extends GatewayTestSupport {

    private static final String SLOW = "slow-exam";

    @Override
    protected void overrideProperties(Properties properties) {
        // one worker and no job taken ahead (a job a worker holds is running): a slow job keeps the next one queued,
        // so it can be cancelled or expire
        properties.setProperty("gateway.inference.concurrency", "1");
        properties.setProperty("gateway.worker.jobs-ahead", "0");
        properties.setProperty("gateway.inference.max-attempts", "1");
        properties.setProperty("gateway.webhook.max-attempts", "2");
        properties.setProperty("gateway.gcs.backend", "local");
        properties.setProperty("gateway.gcs.input-bucket", "exams");
        properties.setProperty("gateway.local.root", peers().dataDir.resolve("buckets").toString());
        // the completion sweeper runs often and confirms claims quickly: the exam envelope is queued a second time
        // under its duplicate id, which the broker must drop
        properties.setProperty("gateway.exam.sweep-interval-ms", "300");
        properties.setProperty("gateway.exam.claim-grace-ms", "600");
        properties.setProperty("gateway.db.compaction-interval-ms", "200");
        databaseProperties(properties);
    }

    /** The state store under test: the embedded H2 default here. */
    void databaseProperties(Properties properties) {
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"quality\":0.9}")));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo("refused"))
                .willReturn(aResponse().withStatus(422).withBody("not an OCT scan")));
        inference().stubFor(post(urlPathEqualTo("/inference")).withHeader("Examination-ID", equalTo(SLOW))
                .willReturn(okJson("{\"quality\":0.5}").withFixedDelay(2500)));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
        webhooks().stubFor(post(urlPathEqualTo("/hooks/gone")).willReturn(aResponse().withStatus(410)));
    }

    /**
     * Uploads accepted at the same time have their records committed together (one transaction for the requests
     * that arrive while another commits): each answered request_uuid has its own record, none is lost or mixed up.
     */
    @Test
    void concurrentUploadsAreEachRecordedWhenAnswered() throws Exception {
        int uploads = 24;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                String name = "together-" + i + ".png";
                answers.add(clients.submit(() -> accepted(uploadImage(name, "image/png", TestImages.png(1),
                        Map.of("Webhook-Url", webhookUrl("/hooks/together"), "Examination-ID", "exam-together")))));
            }
            Set<String> uuids = new HashSet<>();
            for (int i = 0; i < uploads; i++) {
                String uuid = answers.get(i).get();
                assertTrue(uuids.add(uuid), "a request_uuid answered twice: " + uuid);
                JsonNode record = record(uuid); // recorded before it was answered
                assertEquals("together-" + i + ".png", record.path("name").asText(), record.toString());
                assertEquals("exam-together", record.path("examination_id").asText(), record.toString());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anUploadGoesFromQueuedToCompletedWithItsWebhookDelivered() {
        String hook = "/hooks/success";
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(1),
                Map.of("Webhook-Url", webhookUrl(hook), "Examination-ID", "exam-success")));
        JsonNode first = record(uuid);
        assertTrue(Set.of("queued", "running", "completed").contains(first.path("state").asText()), first.toString());

        JsonNode done = awaitRecord(uuid, r -> "delivered".equals(r.path("webhook_state").asText()));
        assertEquals("completed", done.path("state").asText(), done.toString());
        assertEquals("scan.png", done.path("name").asText());
        assertEquals("upload", done.path("provider").asText());
        assertEquals("exam-success", done.path("examination_id").asText());
        assertEquals(1, done.path("inference_attempts").asInt());
        assertEquals(1, done.path("webhook_attempts").asInt());
        for (String time : List.of("accepted_at", "started_at", "finished_at", "delivered_at", "deadline_at")) {
            assertFalse(done.path(time).isNull(), time + " in " + done);
        }
        assertTrue(Instant.parse(done.path("accepted_at").asText()).isBefore(Instant.parse(done.path("deadline_at").asText())));
        assertEquals("completed", awaitEnvelope(hook, uuid).path("status").asText());
    }

    @Test
    void anInferenceErrorIsRecordedWithItsReason() {
        String hook = "/hooks/refused";
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(2),
                Map.of("Webhook-Url", webhookUrl(hook), "Examination-ID", "refused")));
        JsonNode done = awaitRecord(uuid, r -> "delivered".equals(r.path("webhook_state").asText()));
        assertEquals("error", done.path("state").asText(), done.toString());
        assertTrue(done.path("error").asText().contains("HTTP 422"), done.toString());
        assertEquals("error", awaitEnvelope(hook, uuid).path("status").asText());
    }

    @Test
    void aWebhookThatFailsForGoodIsRecordedDeadLettered() {
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(3),
                Map.of("Webhook-Url", webhookUrl("/hooks/gone"))));
        JsonNode done = awaitRecord(uuid, r -> "dead_lettered".equals(r.path("webhook_state").asText()));
        assertEquals("completed", done.path("state").asText(), done.toString());
        assertTrue(done.path("delivered_at").isNull(), done.toString());
    }

    @Test
    void aQueuedRequestIsCancelledAndAnnouncedCancelledAndAFinishedOneIsNot() {
        String hook = "/hooks/cancel";
        String slow = accepted(uploadImage("slow.png", "image/png", TestImages.png(4),
                Map.of("Webhook-Url", webhookUrl(hook), "Examination-ID", SLOW)));
        awaitRecord(slow, r -> "running".equals(r.path("state").asText()));
        String queued = accepted(uploadImage("queued.png", "image/png", TestImages.png(5),
                Map.of("Webhook-Url", webhookUrl(hook))));

        HttpResponse<String> cancel = delete("/requests/" + queued);
        assertEquals(202, cancel.statusCode(), cancel.body());
        assertEquals("cancelled", json(cancel.body()).path("state").asText(), cancel.body());

        JsonNode envelope = awaitEnvelope(hook, queued);
        assertEquals("cancelled", envelope.path("status").asText(), envelope.toString());
        assertEquals("inference.result", envelope.path("type").asText());
        assertEquals(List.of(), inferenceCallsFor(queued), "a cancelled job never reaches the model");
        assertEquals("cancelled", awaitRecord(queued, r -> "delivered".equals(r.path("webhook_state").asText()))
                .path("state").asText());

        awaitEnvelope(hook, slow);
        HttpResponse<String> tooLate = delete("/requests/" + slow);
        assertEquals(409, tooLate.statusCode(), tooLate.body());
        assertEquals("not_cancellable", json(tooLate.body()).path("error").asText());
        HttpResponse<String> again = delete("/requests/" + queued);
        assertEquals(409, again.statusCode(), again.body());
    }

    @Test
    void unknownAndMalformedIdsAreAnsweredWithJsonErrors() {
        String unknown = UUID.randomUUID().toString();
        assertError(get("/requests/" + unknown), 404, "not_found");
        assertError(delete("/requests/" + unknown), 404, "not_found");
        assertError(get("/requests/not-a-uuid"), 400, "invalid_parameter");
        assertError(delete("/requests/not-a-uuid"), 400, "invalid_parameter");
        assertError(get("/examinations/no-such-exam"), 404, "not_found");
        assertError(get("/examinations/x?limit=0"), 400, "invalid_parameter");
        assertError(get("/examinations/x?limit=abc"), 400, "invalid_parameter");
        assertError(get("/examinations/x?after=%27%20OR%201=1"), 400, "invalid_parameter");
        assertError(uploadImage("a.png", "image/png", TestImages.png(6),
                Map.of("Webhook-Url", webhookUrl("/hooks/x"), "Request-TTL-Seconds", "soon")), 400, "invalid_header");
        assertError(uploadImage("a.png", "image/png", TestImages.png(6),
                Map.of("Webhook-Url", webhookUrl("/hooks/x"), "Request-TTL-Seconds", "0")), 400, "invalid_header");
        assertError(uploadImage("a.png", "image/png", TestImages.png(6),
                Map.of("Webhook-Url", webhookUrl("/hooks/x"), "Idempotency-Key", "has space")), 400, "invalid_header");
    }

    @Test
    void aJobStillQueuedAtItsDeadlineExpiresWithoutReachingTheModel() {
        String hook = "/hooks/expiry";
        accepted(uploadImage("slow.png", "image/png", TestImages.png(7),
                Map.of("Webhook-Url", webhookUrl(hook), "Examination-ID", SLOW)));
        String late = accepted(uploadImage("late.png", "image/png", TestImages.png(8),
                Map.of("Webhook-Url", webhookUrl(hook), "Request-TTL-Seconds", "1")));
        JsonNode envelope = awaitEnvelope(hook, late);
        assertEquals("expired", envelope.path("status").asText(), envelope.toString());
        assertEquals(List.of(), inferenceCallsFor(late), "an expired job never reaches the model");
        assertEquals("expired", record(late).path("state").asText());
    }

    @Test
    void aFolderOfTwentyCompletesAndItsExamCompletedEnvelopeComesOnceAfterTheResults() {
        String hook = "/hooks/exam-20";
        putImages("exam-20/od/", 20);
        HttpResponse<String> answer = bucket(Map.of("Input-Location", "exam-20/", "Webhook-Url", webhookUrl(hook),
                "Examination-ID", "exam-20", "Write-To-GCS", "true"));
        assertEquals(200, answer.statusCode(), answer.body());
        List<String> uuids = texts(json(answer.body()).path("request_uuid"));
        assertEquals(20, uuids.size());

        JsonNode progress = Awaitility.await("20 completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> json(get("/examinations/exam-20").body()), p -> p.path("counts").path("completed").asInt() == 20);
        assertEquals(20, progress.path("total").asInt(), progress.toString());
        JsonNode exam = Awaitility.await("exam_completed").atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> examCompletedAt(hook), list -> !list.isEmpty()).get(0);
        assertEquals("exam-20", exam.path("examination_id").asText());
        assertEquals(20, exam.path("counts").path("completed").asInt(), exam.toString());
        assertEquals(20, exam.path("images").size());
        assertTrue(exam.path("images").get(0).path("result_path").asText().startsWith("results/exam-20/od/"), exam.toString());
        assertEquals(Set.copyOf(uuids), Set.copyOf(texts(exam.path("images").findValues("request_uuid"))));

        // after every image's result, and once: the sweeper queues it again under the same id, the broker drops it
        List<LoggedRequest> calls = webhookCalls(hook);
        LoggedRequest examCall = calls.stream().filter(c -> c.getBodyAsString().contains("inference.exam_completed")).findFirst().orElseThrow();
        long results = calls.stream().filter(c -> c.getBodyAsString().contains("\"inference.result\"")
                && !c.getLoggedDate().after(examCall.getLoggedDate())).count();
        assertEquals(20, results, "the 20 results came before exam_completed");
        Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertEquals(1, examCompletedAt(hook).size(), "exam_completed is sent once");
    }

    @Test
    void eachImageOfAFolderIsRecordedUnderTheRequestUuidAnsweredForIt() {
        // the records are inserted in request_uuid order, not the listing's: each must still carry its own image
        putImages("exam-pairs/", 12);
        HttpResponse<String> answer = bucket(Map.of("Input-Location", "exam-pairs/", "Webhook-Url", webhookUrl("/hooks/pairs")));
        assertEquals(200, answer.statusCode(), answer.body());
        List<String> uuids = texts(json(answer.body()).path("request_uuid"));
        List<String> filenames = texts(json(answer.body()).path("filename"));
        assertEquals(12, uuids.size());
        for (int i = 0; i < uuids.size(); i++) {
            JsonNode record = record(uuids.get(i));
            assertTrue(record.path("name").asText().endsWith(filenames.get(i)), record + " answered for " + filenames.get(i));
        }
    }

    @Test
    void anExaminationIsReadInPages() {
        putImages("exam-pages/", 9);
        HttpResponse<String> answer = bucket(Map.of("Input-Location", "exam-pages/", "Webhook-Url", webhookUrl("/hooks/pages"),
                "Examination-ID", "exam-pages"));
        List<String> uuids = texts(json(answer.body()).path("request_uuid"));
        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            JsonNode page = json(get("/examinations/exam-pages?limit=4" + (after.isEmpty() ? "" : "&after=" + after)).body());
            assertEquals(9, page.path("total").asInt(), page.toString());
            seen.addAll(page.path("images").findValuesAsText("request_uuid"));
            after = page.path("next_after").isNull() ? "" : page.path("next_after").asText();
            pages++;
        } while (!after.isEmpty());
        assertEquals(3, pages);
        assertEquals(uuids.stream().sorted().toList(), seen, "every image once, in request_uuid order");
    }

    @Test
    void theSameFolderRequestTwiceWithOneIdempotencyKeyIsAcceptedOnce() {
        String hook = "/hooks/idempotent";
        putImages("exam-idem/", 5);
        Map<String, String> headers = Map.of("Input-Location", "exam-idem/", "Webhook-Url", webhookUrl(hook),
                "Examination-ID", "exam-idem", "Idempotency-Key", "retry-" + UUID.randomUUID());
        HttpResponse<String> first = bucket(headers);
        HttpResponse<String> second = bucket(headers);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(json(first.body()), json(second.body()), "the same answer, the same request_uuids");

        Awaitility.await().atMost(DELIVERY_TIMEOUT).until(() -> examCompletedAt(hook).size() == 1);
        assertEquals(5, json(get("/examinations/exam-idem").body()).path("total").asInt(), "one set of jobs");
        for (String uuid : texts(json(first.body()).path("request_uuid"))) {
            assertEquals(1, inferenceCallsFor(uuid).size());
        }

        Map<String, String> other = new java.util.HashMap<>(headers);
        other.put("Examination-ID", "another-exam");
        assertError(bucket(other), 409, "idempotency_key_reused");
    }

    @Test
    void theSameUploadTwiceWithOneIdempotencyKeyIsAcceptedOnceAndAnotherImageIsRefused() {
        String key = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of("Webhook-Url", webhookUrl("/hooks/idem-upload"), "Idempotency-Key", key);
        String uuid = accepted(uploadImage("a.png", "image/png", TestImages.png(9), headers));
        assertEquals(uuid, accepted(uploadImage("a.png", "image/png", TestImages.png(9), headers)));
        assertError(uploadImage("a.png", "image/png", TestImages.png(10), headers), 409, "idempotency_key_reused");
        awaitEnvelope("/hooks/idem-upload", uuid);
        assertEquals(1, inferenceCallsFor(uuid).size());
        // a refused request does not hold its key: fixed, it goes ahead
        String fresh = UUID.randomUUID().toString();
        assertError(uploadImage("a.png", "image/png", TestImages.png(11),
                Map.of("Webhook-Url", "not a url", "Idempotency-Key", fresh)), 400, "invalid_header");
        accepted(uploadImage("a.png", "image/png", TestImages.png(11),
                Map.of("Webhook-Url", webhookUrl("/hooks/idem-upload"), "Idempotency-Key", fresh)));
    }

    @Test
    void prometheusShowsRecordsPerState() {
        String uuid = accepted(uploadImage("m.png", "image/png", TestImages.png(12), Map.of("Webhook-Url", webhookUrl("/hooks/m"))));
        awaitEnvelope("/hooks/m", uuid);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> metricValue("gateway_requests{state=\"completed\"}").orElse(0.0) >= 1);
        assertNotNull(metricValue("gateway_requests{state=\"queued\"}").orElse(null));
    }

    /**
     * The embedded H2 file is forced to disk and compacted on schedule, through the pool, while jobs run
     * (EmbeddedStoreCompactionTest shows what that does to the file); an external database does its own housekeeping.
     */
    @Test
    void theEmbeddedStoreIsCompactedOnScheduleAndAnExternalDatabaseIsLeftToItself() {
        if (!context.getPropertiesComponent().resolveProperty("gateway.db.url").orElse("").isBlank()) {
            assertNull(context.getRoute("embedded-store-compaction"));
            return;
        }
        NotifyBuilder compacted = new NotifyBuilder(context).fromRoute("embedded-store-compaction").whenCompleted(3).create();
        String uuid = accepted(uploadImage("c.png", "image/png", TestImages.png(13), Map.of("Webhook-Url", webhookUrl("/hooks/c"))));
        awaitEnvelope("/hooks/c", uuid);
        assertTrue(compacted.matches(10, TimeUnit.SECONDS), "the compaction route did not complete three runs in 10 s");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    JsonNode record(String uuid) {
        HttpResponse<String> answer = get("/requests/" + uuid);
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer.body());
    }

    JsonNode awaitRecord(String uuid, java.util.function.Predicate<JsonNode> condition) {
        return Awaitility.await("record of " + uuid).atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> record(uuid), condition);
    }

    List<JsonNode> examCompletedAt(String hook) {
        return webhookCalls(hook).stream().map(call -> json(call.getBodyAsString()))
                .filter(envelope -> "inference.exam_completed".equals(envelope.path("type").asText())).toList();
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(gateway(path)).DELETE());
    }

    HttpResponse<String> bucket(Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway("/bucket_invocations")).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    void putImages(String folder, int count) {
        try {
            Path dir = peers().dataDir.resolve("buckets").resolve("exams").resolve(folder);
            Files.createDirectories(dir);
            for (int i = 0; i < count; i++) {
                Files.write(dir.resolve(String.format("slice-%03d.png", i)), TestImages.png(100 + i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }

    static void assertError(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, json(answer.body()).path("error").asText(), answer.body());
        assertEquals(new HashSet<>(List.of("status", "error", "message")),
                new HashSet<>(iterable(json(answer.body()).fieldNames())), answer.body());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
