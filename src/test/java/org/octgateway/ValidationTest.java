package org.octgateway;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad requests get their status code and a JSON error naming what is wrong; good images of every format pass. */
class ValidationTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/validation";

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Webhook-Url", webhookUrl(HOOK));
        return headers;
    }

    private Map<String, String> withParameters(String parameters) {
        Map<String, String> headers = headers();
        headers.put("Inference-Parameters", parameters);
        return headers;
    }

    private HttpResponse<String> uploadPng(Map<String, String> headers) {
        return uploadImage("scan.png", "image/png", TestImages.png(1), headers);
    }

    /** The refusal a client sees: status, JSON error body naming the culprit; and the gateway still takes work. */
    private void assertRefused(HttpResponse<String> response, int status, String error, String named) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "Content-Type of " + response.headers().map());
        JsonNode body = json(response.body());
        assertEquals("error", body.path("status").asText(), response.body());
        assertEquals(error, body.path("error").asText(), response.body());
        assertTrue(body.path("message").asText().contains(named), "message should name " + named + ": " + response.body());
        assertFalse(response.body().contains("Exception"), response.body());
        HttpResponse<String> ping = get("/ping");
        assertEquals(200, ping.statusCode(), "ping after a refused request: " + ping.body());
    }

    @Test
    void missingWebhookUrlIsRefusedWith400() {
        assertRefused(uploadPng(Map.of()), 400, "missing_header", "Webhook-Url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "ftp://x/y", "/relative"})
    void webhookUrlThatIsNotAnAbsoluteHttpUrlIsRefusedWith400(String webhookUrl) {
        assertRefused(uploadPng(Map.of("Webhook-Url", webhookUrl)), 400, "invalid_header", "Webhook-Url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]"})
    void inferenceParametersThatAreNotAJsonObjectAreRefusedWith400(String parameters) {
        assertRefused(uploadPng(withParameters(parameters)), 400, "invalid_inference_parameters", "Inference-Parameters");
    }

    @Test
    void lowConfidencePAboveOneIsRefusedNamingTheKey() {
        assertRefused(uploadPng(withParameters("{\"low_confidence_p\": 1.5}")), 400,
                "invalid_inference_parameters", "low_confidence_p");
    }

    @Test
    void zeroPixelSpacingRowIsRefusedNamingTheKey() {
        assertRefused(uploadPng(withParameters("{\"pixel_spacing_row\": 0}")), 400,
                "invalid_inference_parameters", "pixel_spacing_row");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "[\"a\",\"b\"]"})
    void centerCoordinatesThatAreNotTwoNumbersAreRefusedNamingTheKey(String coordinates) {
        assertRefused(uploadPng(withParameters("{\"center_coordinates\": " + coordinates + "}")), 400,
                "invalid_inference_parameters", "center_coordinates");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"scan_width\": 1e999}                | scan_width",
            "{\"mm_crop_zone\": -1e999}             | mm_crop_zone",
            "{\"slice_idx\": 18446744073709551616}  | slice_idx",
            "{\"slice_idx\": 1, \"slice_idx\": 2}   | slice_idx",
            "{\"a\": 1} {\"b\": 2}                  | Inference-Parameters",
            "{\"a\": NaN}                          | Inference-Parameters"})
    void infiniteWrappingDuplicatedOrTrailingParametersAreRefusedNamingTheCulprit(String parameters, String named) {
        int before = inference().getAllServeEvents().size();

        assertRefused(uploadPng(withParameters(parameters)), 400, "invalid_inference_parameters", named);
        assertEquals(before, inference().getAllServeEvents().size(), "nothing reaches the model");
    }

    @Test
    void examinationIdLongerThan128CharactersIsRefused() {
        Map<String, String> headers = headers();
        headers.put("Examination-ID", "e".repeat(129));

        assertRefused(uploadPng(headers), 400, "invalid_header", "Examination-ID");
    }

    @Test
    void examinationIdSentAsUtf8IsRefusedRatherThanMangled() throws Exception {
        // Java's HttpClient would turn "ü" into '?' itself: the UTF-8 bytes go on the wire over a plain socket.
        Multipart form = new Multipart().file("image", "scan.png", "image/png", TestImages.png(1));
        String response;
        try (Socket socket = new Socket("localhost", gateway("/").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /invocations HTTP/1.0\r\nHost: localhost\r\n"
                    + "Content-Type: " + form.contentType() + "\r\nContent-Length: " + form.bytes().length + "\r\n"
                    + "Webhook-Url: " + webhookUrl(HOOK) + "\r\nExamination-ID: Müller\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(form.bytes());
            out.flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertTrue(response.startsWith("HTTP/1.0 400 "), response);
        JsonNode body = json(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals("invalid_header", body.path("error").asText(), response);
        assertTrue(body.path("message").asText().contains("Examination-ID"), response);
    }

    @Test
    void printableAsciiExaminationIdReachesTheModelAndTheWebhookUnchanged() {
        Map<String, String> headers = headers();
        String id = "OD/2026-11-27 #3 (left) " + "x".repeat(104);
        headers.put("Examination-ID", id);

        String uuid = accepted(uploadPng(headers));

        assertEquals(id, await().atMost(DELIVERY_TIMEOUT).until(() -> inferenceCallsFor(uuid), c -> !c.isEmpty())
                .get(0).getHeader("Examination-ID"));
        assertEquals(id, awaitEnvelope(HOOK, uuid).path("examination_id").asText());
    }

    @Test
    void aNewlineInAnUploadedFileNameCannotStartALogLine() {
        String forged = "12.00.00.000 INFO  [main] Acceptance - Job accepted forged";
        List<String> lines;
        String uuid;
        try (LogCapture log = new LogCapture()) { // the per-job "Job accepted" line is at DEBUG
            Multipart form = new Multipart().fileWithDisposition("name=\"image\"; filename*=UTF-8''scan%0A"
                    + forged.replace(" ", "%20") + "%1B%5B2J.png", "image/png", TestImages.png(3));
            uuid = accepted(upload(form, headers()));
            lines = log.lines();
        }

        String accepted = lines.stream().filter(line -> line.contains(uuid) && line.contains("Job accepted")).findFirst()
                .orElseThrow(() -> new AssertionError("no accepted line for " + uuid + " in " + lines));
        // the upload's name is cleaned before anything uses it (control characters become '_'), and logged as such
        assertTrue(accepted.contains("scan_" + forged + "_[2J.png"), "the name is logged, cleaned: " + accepted);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith(forged)), "no forged line: " + lines);
        assertTrue(lines.stream().allMatch(line -> line.chars().noneMatch(c -> c == 0x1b)), "no raw ESC: " + lines);
    }

    @Test
    void uploadWithoutAnImagePartIsRefusedWith400() {
        Multipart form = new Multipart().file("file", "scan.png", "image/png", TestImages.png(2));
        assertRefused(upload(form, headers()), 400, "missing_image", "'image'");
    }

    @Test
    void textFileDeclaredAsPngIsRefusedWith415() {
        byte[] text = "just some words, not an image at all\n".repeat(10).getBytes(StandardCharsets.UTF_8);
        assertRefused(uploadImage("scan.png", "image/png", text, headers()), 415, "unsupported_media_type", "image");
    }

    @Test
    void refusedRequestsQueueNothing() {
        int before = inference().getAllServeEvents().size();
        uploadPng(withParameters("{\"low_confidence_p\": -1}"));
        uploadImage("x.png", "image/png", new byte[] {1, 2, 3, 4}, headers());
        // A good upload after the bad ones is processed; the bad ones never reached the inference server.
        String uuid = accepted(uploadPng(headers()));
        await().atMost(DELIVERY_TIMEOUT).until(() -> inferenceCallsFor(uuid).size() == 1);
        awaitEnvelope(HOOK, uuid);
        assertEquals(before + 1, inference().getAllServeEvents().size());
    }

    /** Judged by content: a misleading declared type neither helps nor hurts. */
    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "tiff", "bmp", "dicom"})
    void everySupportedFormatIsAcceptedByItsContentWhateverTheDeclaredType(String format) {
        byte[] image;
        String detectedType;
        String declaredType;
        switch (format) {
            case "jpeg" -> { image = TestImages.jpeg(); detectedType = "image/jpeg"; declaredType = "image/png"; }
            case "tiff" -> { image = TestImages.tiff(); detectedType = "image/tiff"; declaredType = "application/octet-stream"; }
            case "bmp" -> { image = TestImages.bmp(); detectedType = "image/bmp"; declaredType = "text/plain"; }
            default -> { image = TestImages.dicom(); detectedType = "application/dicom"; declaredType = "image/jpeg"; }
        }
        String uuid = accepted(uploadImage("scan." + format, declaredType, image, headers()));

        LoggedRequest call = await().atMost(DELIVERY_TIMEOUT).until(() -> inferenceCallsFor(uuid), calls -> !calls.isEmpty()).get(0);
        assertEquals(detectedType, call.getHeader("Content-Type"));
        assertTrue(java.util.Arrays.equals(image, call.getBody()), "the inference server got other bytes");
        assertEquals("completed", awaitEnvelope(HOOK, uuid).path("status").asText());
    }

    @Test
    void documentedDefaultsAreAppliedAndUnknownKeysPassThrough() {
        String uuid = accepted(uploadPng(withParameters(
                "{\"scan_width\": 6, \"center_coordinates\": [256, 248.5], \"my_model_knob\": {\"depth\": [1, 2]}}")));

        JsonNode sent = inferenceParametersReceivedFor(uuid);
        assertEquals(0.1, sent.path("low_confidence_p").asDouble(-1), sent.toString());
        assertEquals(1.0, sent.path("mm_nerve_crop_zone").asDouble(-1), sent.toString());
        assertEquals(6, sent.path("scan_width").asInt(), sent.toString());
        assertEquals(json("[256, 248.5]"), sent.path("center_coordinates"), sent.toString());
        assertEquals(json("{\"depth\": [1, 2]}"), sent.path("my_model_knob"), sent.toString());
    }

    @Test
    void givenValuesWinOverDefaultsAndEitherNerveCropSpellingCounts() {
        String uuid = accepted(uploadPng(withParameters("{\"low_confidence_p\": 0.35, \"mm_crop_zone_nerve\": 2.5}")));

        JsonNode sent = inferenceParametersReceivedFor(uuid);
        assertEquals(0.35, sent.path("low_confidence_p").asDouble(-1), sent.toString());
        assertEquals(2.5, sent.path("mm_crop_zone_nerve").asDouble(-1), sent.toString());
        assertTrue(sent.path("mm_nerve_crop_zone").isMissingNode(), "no second nerve crop default: " + sent);
    }

    @Test
    void withoutInferenceParametersOnlyTheDefaultsAreSent() {
        String uuid = accepted(uploadPng(headers()));

        assertEquals(json("{\"low_confidence_p\": 0.1, \"mm_nerve_crop_zone\": 1.0}"), inferenceParametersReceivedFor(uuid));
    }

    private JsonNode inferenceParametersReceivedFor(String uuid) {
        List<LoggedRequest> calls = await().atMost(DELIVERY_TIMEOUT)
                .until(() -> inferenceCallsFor(uuid), c -> !c.isEmpty());
        return json(calls.get(0).getHeader("Inference-Parameters"));
    }
}
