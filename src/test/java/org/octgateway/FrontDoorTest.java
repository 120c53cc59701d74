package org.octgateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The business port's HTTP layer against hostile and slow clients, over raw sockets (every byte is the test's):
 * whatever the HTTP layer refuses is a JSON 4xx with its exact status, slow clients are cut off by the
 * deadlines, connections beyond the cap are refused, and afterwards the port still serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorTest extends GatewayTestSupport {

    private static final int IDLE_TIMEOUT_SECONDS = 6;
    private static final int HEADER_TIMEOUT_SECONDS = 2;
    private static final int REQUEST_TIMEOUT_SECONDS = 3;
    private static final int MAX_CONNECTIONS = 4;
    private static final int MAX_BODY_SIZE = 1_000_000;
    /** How long an answer the gateway gives at once may take on a loaded 2-core machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final String BOUNDARY = "front-door-boundary";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.http.idle-timeout-seconds", Integer.toString(IDLE_TIMEOUT_SECONDS));
        properties.setProperty("gateway.http.header-timeout-seconds", Integer.toString(HEADER_TIMEOUT_SECONDS));
        properties.setProperty("gateway.http.request-timeout-seconds", Integer.toString(REQUEST_TIMEOUT_SECONDS));
        properties.setProperty("gateway.http.max-connections", Integer.toString(MAX_CONNECTIONS));
        properties.setProperty("camel.server.maxBodySize", Integer.toString(MAX_BODY_SIZE));
        properties.setProperty("camel.server.fileUploadDirectory",
                Path.of(properties.getProperty("gateway.data-dir"), "uploads").toString());
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}")));
        webhooks().stubFor(post(urlPathEqualTo("/hooks/front")).willReturn(okJson("{}")));
    }

    // ---- requests the HTTP layer refuses: a JSON 4xx each, promptly -------------------------------------

    static Stream<Arguments> malformedRequests() {
        String bigHeader = "X-Filler: " + "a".repeat(9_000) + "\r\n";
        return Stream.of(
                Arguments.of("request line that is not HTTP", 400, "HELLO\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                Arguments.of("NUL in a header value", 400, request("GET /ping", "X-Probe: a\0b\r\n", "")),
                Arguments.of("bare CR in a header value", 400, request("GET /ping", "X-Probe: a\rb\r\n", "")),
                Arguments.of("header without a colon", 400, request("GET /ping", "X-Probe\r\n", "")),
                Arguments.of("headers over 8 KiB", 431, request("GET /ping", bigHeader, "")),
                Arguments.of("request line over 4 KiB", 414, request("GET /ping?q=" + "a".repeat(5_000), "", "")),
                Arguments.of("multipart with an empty boundary", 400, request("POST /invocations",
                        "Content-Type: multipart/form-data; boundary=\r\nWebhook-Url: http://localhost/hook\r\n",
                        "--\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nxx\r\n----\r\n")),
                Arguments.of("5,000 file parts", 400, request("POST /invocations", multipartHeaders(),
                        parts(5_000) + "--" + BOUNDARY + "--\r\n")),
                Arguments.of("a part without Content-Disposition", 400, request("POST /invocations", multipartHeaders(),
                        "--" + BOUNDARY + "\r\nContent-Type: image/png\r\n\r\nxx\r\n--" + BOUNDARY + "--\r\n")),
                Arguments.of("body over the limit by Content-Length", 413, request("POST /invocations",
                        multipartHeaders() + "Content-Length: " + (MAX_BODY_SIZE * 2) + "\r\n", null)),
                Arguments.of("unsupported Expect", 417, request("POST /invocations", multipartHeaders()
                        + "Expect: 200-ok\r\n", parts(1) + "--" + BOUNDARY + "--\r\n")),
                Arguments.of("header line starting with a colon", 400, request("GET /ping", ": no name\r\n", "")),
                Arguments.of("two Host headers", 400, request("GET /ping", "Host: evil.example\r\n", "")),
                Arguments.of("HTTP/1.1 without a Host header", 400,
                        "GET /ping HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                Arguments.of("percent sign not followed by two hex digits", 400, request("GET /invocations%zz", "", "")),
                Arguments.of("Transfer-Encoding other than chunked", 400, request("POST /invocations",
                        multipartHeaders() + "Transfer-Encoding: gzip, chunked\r\n", null)),
                Arguments.of("chunk size that is not hexadecimal", 400, request("POST /invocations",
                        multipartHeaders() + "Transfer-Encoding: chunked\r\n", null, "zz\r\nabc\r\n0\r\n\r\n")),
                Arguments.of("chunk size beyond 64 bits", 400, request("POST /invocations",
                        multipartHeaders() + "Transfer-Encoding: chunked\r\n", null, "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("malformedRequests")
    void malformedRequestIsAnsweredWithItsJsonError(String what, int status, byte[] request) throws IOException {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            RawConnection.Response answer = connection.send(request).answer(PROMPTLY);

            assertJsonError(status, answer);
        }
    }

    @Test
    void uploadWithContentLengthAndTransferEncodingIsRefusedUnreadAndTheConnectionCloses() throws IOException {
        // A well-formed chunked upload that also declares a Content-Length: a proxy in front trusting the
        // Content-Length would see the rest as another request. The gateway must not accept it either way.
        byte[] form = (parts(1) + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RawConnection.chunked(form));
        body.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            RawConnection.Response answer = connection.send(request("POST /invocations", multipartHeaders()
                    + "Content-Length: " + form.length + "\r\nTransfer-Encoding: chunked\r\n", null))
                    .send(body.toByteArray())
                    .answer(PROMPTLY);

            assertJsonError(400, answer);
            assertTrue(answer.body().contains("Content-Length or Transfer-Encoding"), answer.body());
            assertEquals("close", answer.header("Connection"));
            connection.closedWithin(PROMPTLY);
        }
    }

    @Test
    void brokenChunkedBodyIsAnswered400AndTheConnectionCloses() throws IOException {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            connection.send(request("POST /invocations", multipartHeaders() + "Transfer-Encoding: chunked\r\n", null));
            connection.chunk(parts(1).getBytes(StandardCharsets.ISO_8859_1));
            RawConnection.Response answer = connection.send("not-a-size\r\nxx\r\n").answer(PROMPTLY);

            assertJsonError(400, answer);
            assertTrue(answer.body().contains("chunked body is malformed"), answer.body());
            assertEquals("close", answer.header("Connection"));
            connection.closedWithin(PROMPTLY);
        }
    }

    @Test
    void chunkedUploadOverTheLimitIsAnswered413InJson() throws IOException {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            connection.send("POST /invocations HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nWebhook-Url: " + webhookUrl("/hooks/front")
                    + "\r\n\r\n");
            String partHead = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n";
            connection.chunk(partHead.getBytes(StandardCharsets.ISO_8859_1));
            byte[] tenKiB = new byte[10_240];
            RawConnection.Response answer = null;
            try {
                for (int sent = 0; sent < MAX_BODY_SIZE * 2; sent += tenKiB.length) {
                    connection.chunk(tenKiB);
                }
            } catch (java.io.UncheckedIOException closedWhileSending) {
                // the gateway may answer and close while the client is still sending: the answer is still there
            }
            answer = connection.answer(PROMPTLY);

            assertJsonError(413, answer);
        }
    }

    @Test
    void multipartBodyWithoutItsClosingBoundaryIsAnswered400WithinTheRequestDeadline() throws IOException {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"scan.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n" + "x".repeat(1_000);
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            long start = System.nanoTime();
            RawConnection.Response answer = connection.send(request("POST /invocations", multipartHeaders(), body))
                    .answer(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS + 5));

            assertJsonError(400, answer);
            assertTrue(secondsSince(start) >= REQUEST_TIMEOUT_SECONDS - 0.5, "answered by the request deadline");
            assertEquals("close", answer.header("Connection"));
            connection.closedWithin(PROMPTLY);
        }
    }

    @Test
    void bodyThatTricklesPastTheRequestDeadlineIsAnswered408AndTheConnectionCloses() throws Exception {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            long start = System.nanoTime();
            connection.send("POST /invocations HTTP/1.1\r\nHost: localhost\r\n" + multipartHeaders()
                    + "Content-Length: 50000\r\n\r\n--" + BOUNDARY + "\r\n");
            // a byte every 300 ms: never idle long enough for the idle timeout, never done
            RawConnection.Response answer = trickleUntilAnswered(connection, "Content-Disposition: form-data; name=\"image\"");

            assertJsonError(408, answer);
            double took = secondsSince(start);
            assertTrue(took >= REQUEST_TIMEOUT_SECONDS - 0.5 && took < REQUEST_TIMEOUT_SECONDS + 5, "took " + took + " s");
            connection.closedWithin(PROMPTLY);
        }
    }

    @Test
    void clientTricklingItsHeadersIsAnswered408AndClosedAtTheHeaderDeadline() throws Exception {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            long start = System.nanoTime();
            connection.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n");
            RawConnection.Response answer = trickleUntilAnswered(connection, "X-Slow: s");

            double took = secondsSince(start);
            assertJsonError(408, answer);
            assertTrue(took >= HEADER_TIMEOUT_SECONDS - 0.5 && took < HEADER_TIMEOUT_SECONDS + 4, "answered after " + took + " s");
            assertEquals("close", answer.header("Connection"));
            connection.closedWithin(PROMPTLY);
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAndTheGatewayServesOnceTheyClose() {
        Awaitility.await("exactly " + MAX_CONNECTIONS + " connections served, the next refused")
                .atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).untilAsserted(() -> {
                    List<RawConnection> open = new ArrayList<>();
                    try {
                        for (int i = 0; i < MAX_CONNECTIONS; i++) {
                            RawConnection connection = new RawConnection(peers().httpPort);
                            open.add(connection);
                            // kept alive: the connection stays open and counted after its answer
                            assertEquals(200, connection.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                    .answer(PROMPTLY).status(), "connection " + (i + 1));
                        }
                        try (RawConnection extra = new RawConnection(peers().httpPort)) {
                            String received = extra.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n").closedWithin(PROMPTLY);
                            assertEquals("", received, "the connection over the cap got an answer");
                        }
                    } finally {
                        open.forEach(RawConnection::close);
                    }
                });
        Awaitility.await("/ping on a fresh connection").atMost(PROMPTLY)
                .untilAsserted(() -> assertEquals(200, ping().status()));
    }

    @Test
    void normalUploadIsStillAccepted() throws IOException {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            RawConnection.Response answer = upload(connection, "/hooks/front", 7);

            assertEquals(200, answer.status(), answer.body());
            String uuid = json(answer.body()).path("request_uuid").asText();
            assertEquals("completed", awaitEnvelope("/hooks/front", uuid).path("status").asText());
        }
    }

    /**
     * The JSON answers are written whole, with their Content-Length, not as a chunked stream (which Camel's Vert.x
     * writer also pumped through the worker pool: ~10 % of an upload's CPU).
     */
    @Test
    void theUploadAndStateAnswersAreSentWholeWithTheirLength() throws IOException {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            RawConnection.Response accepted = upload(connection, "/hooks/whole", 8);
            assertSentWhole(accepted);
            String uuid = json(accepted.body()).path("request_uuid").asText();

            RawConnection.Response record = connection.head("GET /requests/" + uuid + " HTTP/1.1").answer(PROMPTLY);
            assertSentWhole(record);
            assertEquals(uuid, json(record.body()).path("request_uuid").asText(), record.body());
        }
    }

    /** A small PNG uploaded on {@code connection}, its webhook at {@code hook}: the answer. */
    private RawConnection.Response upload(RawConnection connection, String hook, int image) throws IOException {
        Multipart form = new Multipart().file("image", "scan.png", "image/png", TestImages.png(image));
        byte[] body = form.bytes();
        connection.send(("POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + form.contentType()
                + "\r\nWebhook-Url: " + webhookUrl(hook) + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return connection.send(body).answer(PROMPTLY);
    }

    private static void assertSentWhole(RawConnection.Response answer) {
        assertEquals(200, answer.status(), answer.body());
        assertEquals("", answer.header("Transfer-Encoding"), "a chunked answer: " + answer.headers());
        assertEquals(String.valueOf(answer.body().getBytes(StandardCharsets.UTF_8).length), answer.header("Content-Length"),
                answer.headers().toString());
    }

    /** After every case: the upload temp files of refused and cut-off requests are gone too. */
    @AfterEach
    void noUploadIsLeftOnDisk() {
        Path uploads = Path.of(context.resolvePropertyPlaceholders("{{camel.server.fileUploadDirectory}}"));
        Awaitility.await("upload temp files removed").atMost(PROMPTLY).untilAsserted(() -> {
            try (Stream<Path> files = Files.exists(uploads) ? Files.walk(uploads) : Stream.empty()) {
                assertEquals(0, files.filter(Files::isRegularFile).count(), "upload temp files left in " + uploads);
            }
        });
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void afterAllOfThemThePortServesReadinessIsUpAndNoUploadIsLeftOnDisk() throws IOException {
        assertEquals(200, ping().status());
        assertReadyLiveAndUp();
        noUploadIsLeftOnDisk();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private RawConnection.Response ping() throws IOException {
        try (RawConnection connection = new RawConnection(peers().httpPort)) {
            return connection.send("GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").answer(PROMPTLY);
        }
    }

    private static void assertJsonError(int status, RawConnection.Response answer) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/json", answer.header("Content-Type"), answer.body());
        JsonNode body = json(answer.body());
        assertEquals("error", body.path("status").asText(), answer.body());
        assertFalse(body.path("error").asText().isBlank(), answer.body());
        assertFalse(body.path("message").asText().isBlank(), answer.body());
    }

    /** A request with the given head and body (null: headers only, no body sent); Content-Length unless given. */
    private static byte[] request(String requestLine, String headers, String body) {
        StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: localhost\r\n").append(headers);
        if (body != null && !headers.contains("Content-Length")) {
            request.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        request.append("\r\n");
        if (body != null) {
            request.append(body);
        }
        return request.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@link #request} followed by {@code rawBody} as is (no Content-Length added for it). */
    private static byte[] request(String requestLine, String headers, String body, String rawBody) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(request(requestLine, headers, body));
        request.writeBytes(rawBody.getBytes(StandardCharsets.ISO_8859_1));
        return request.toByteArray();
    }

    private static String multipartHeaders() {
        return "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nWebhook-Url: http://localhost/hooks/front\r\n";
    }

    private static String parts(int count) {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < count; i++) {
            parts.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p")
                    .append(i).append(".png\"\r\nContent-Type: image/png\r\n\r\nxx\r\n");
        }
        return parts.toString();
    }

    private static RawConnection.Response trickleUntilAnswered(RawConnection connection, String text) throws Exception {
        java.util.concurrent.ExecutorService trickler = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            trickler.submit(() -> {
                for (char c : text.repeat(20).toCharArray()) {
                    connection.send(new byte[] {(byte) c});
                    Thread.sleep(300);
                }
                return null;
            });
            return connection.answer(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS + 5));
        } finally {
            trickler.shutdownNow();
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
