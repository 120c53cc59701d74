package org.octgateway;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One row of the hostile-input table: what a hostile or clumsy client sends, to which port, and what it must get
 * back. {@code kind} is the class of input (the classes), for the report.
 */
record HostileCase(String kind, String name, Port port, RawHttp.Request request, Expect expect) {

    enum Port { BUSINESS, MANAGEMENT }

    /** How the answer must look. */
    enum Shape {
        /** The gateway's JSON error: {"status":"error","error":<code>,"message":<words>}, Content-Type application/json. */
        API_ERROR,
        /** Jolokia refused it: an HTTP 4xx, or HTTP 200 whose JSON "status" (every one, for a bulk request) is a 4xx. */
        JOLOKIA_REFUSED,
        /** A CORS preflight from a foreign Origin: not allowed (no Access-Control-Allow-Origin for it, no 5xx). */
        CORS_REFUSED,
        /** Whatever the answer (no 5xx), it carries none of the secrets. */
        NO_LEAK,
        /** A 4xx of the management server, any body (no 5xx, no stack trace, no secret). */
        ANY_4XX,
        /** A control: a well-formed request the gateway accepts (200, "status":"sent"). */
        ACCEPTED,
        /** A control: /ping answers 200 {"status":"ok"}. */
        PING_OK,
        /**
         * Accepted, with the name cleaned: a clumsy client's file name ("C:\\scans\\a.png", "../a.png", control
         * characters) is never used as a path, so the upload is taken and answered under its last path segment with
         * control characters replaced (200 "sent", the answered filename has neither separators nor controls).
         */
        ACCEPTED_CLEANED,
        /**
         * A request that never finishes its headers: the server closes the connection within the deadline (no HTTP
         * answer is possible before a request exists), or answers a 4xx JSON error.
         */
        CLOSED_OR_API_ERROR,
    }

    /**
     * @param statuses the allowed statuses (empty: any 4xx); for Jolokia, its JSON "status"
     * @param error    the prescribed "error" code, or null (then any non-empty code)
     * @param named    words the message must contain (case-insensitive), or null
     */
    record Expect(Shape shape, Set<Integer> statuses, String error, String named) {

        static Expect error(int status, String error, String named) {
            return new Expect(Shape.API_ERROR, Set.of(status), error, named);
        }

        static Expect error(Set<Integer> statuses) {
            return new Expect(Shape.API_ERROR, statuses, null, null);
        }

        static Expect any4xxJson() {
            return new Expect(Shape.API_ERROR, Set.of(), null, null);
        }

        static Expect jolokiaRefused() {
            return new Expect(Shape.JOLOKIA_REFUSED, Set.of(401, 403, 405), null, null);
        }

        static Expect jolokiaBadRequest() {
            return new Expect(Shape.JOLOKIA_REFUSED, Set.of(), null, null);
        }

        static Expect of(Shape shape) {
            return new Expect(shape, Set.of(), null, null);
        }

        String describe() {
            String statusText = statuses.isEmpty() ? "4xx" : statuses.toString();
            return switch (shape) {
                case API_ERROR -> statusText + " JSON error" + (error == null ? "" : " " + error)
                        + (named == null ? "" : " naming '" + named + "'");
                case JOLOKIA_REFUSED -> "refused by Jolokia (" + statusText + ")";
                case CORS_REFUSED -> "foreign Origin not allowed";
                case NO_LEAK -> "no secret in the answer";
                case ANY_4XX -> "4xx";
                case ACCEPTED -> "200 sent";
                case PING_OK -> "200 ok";
                case ACCEPTED_CLEANED -> "200 sent, the filename cleaned";
                case CLOSED_OR_API_ERROR -> "closed within the deadline, or a 4xx JSON error";
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What would betray the implementation: a stack trace or a Java class name. */
    private static final List<String> IMPLEMENTATION_LEAKS = List.of("Exception", "at org.", "at java.", "at io.", "java.lang.");
    /** Jolokia names the error type of a refusal (java.lang.SecurityException) by design; a stack trace it must not show. */
    private static final List<String> STACK_TRACE = List.of("at org.", "at java.", "at io.", "\tat ");

    @Override
    public String toString() {
        return "[" + kind + "] " + name;
    }

    /** Asserts that {@code answer} is what this case expects; {@code secrets} must appear nowhere in it. */
    void check(RawHttp.Response answer, List<String> secrets) {
        String whole = answer.headers() + "\n" + answer.body();
        for (String secret : secrets) {
            assertFalse(whole.contains(secret), "the answer reveals a secret: " + answer.summary());
        }
        assertTrue(answer.status() < 500, "a server error for a client's input: " + answer.summary());
        switch (expect.shape()) {
            case API_ERROR -> checkApiError(answer);
            case JOLOKIA_REFUSED -> checkJolokiaRefused(answer);
            case CORS_REFUSED -> checkCorsRefused(answer);
            case NO_LEAK -> { }
            case ANY_4XX -> {
                assertStatus(answer, answer.status());
                assertNoImplementationDetails(answer);
            }
            case ACCEPTED -> {
                assertEquals(200, answer.status(), answer.summary());
                assertEquals("sent", json(answer).path("status").asText(), answer.summary());
            }
            case PING_OK -> {
                assertEquals(200, answer.status(), answer.summary());
                assertEquals("ok", json(answer).path("status").asText(), answer.summary());
            }
            case ACCEPTED_CLEANED -> {
                assertEquals(200, answer.status(), answer.summary());
                String filename = json(answer).path("filename").asText();
                assertTrue(!filename.isEmpty() && filename.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\'),
                        "the filename is not cleaned: " + answer.summary());
            }
            case CLOSED_OR_API_ERROR -> checkApiError(answer);
        }
    }

    private void checkApiError(RawHttp.Response answer) {
        assertStatus(answer, answer.status());
        if (answer.status() == 503) {
            assertFalse(answer.header("Retry-After").isBlank(), "503 without Retry-After: " + answer.summary());
        }
        assertTrue(answer.header("Content-Type").toLowerCase(Locale.ROOT).startsWith("application/json"),
                "not a JSON answer: " + answer.summary());
        JsonNode body = json(answer);
        assertEquals("error", body.path("status").asText(), "\"status\" is not \"error\": " + answer.summary());
        String code = body.path("error").asText("");
        assertFalse(code.isBlank(), "no \"error\" code: " + answer.summary());
        String message = body.path("message").asText("");
        assertFalse(message.isBlank(), "no \"message\": " + answer.summary());
        if (expect.error() != null) {
            assertEquals(expect.error(), code, "error code: " + answer.summary());
        }
        if (expect.named() != null) {
            assertTrue(message.toLowerCase(Locale.ROOT).contains(expect.named().toLowerCase(Locale.ROOT)),
                    "the message does not name '" + expect.named() + "': " + answer.summary());
        }
        assertNoImplementationDetails(answer);
    }

    private void checkJolokiaRefused(RawHttp.Response answer) {
        for (String leak : STACK_TRACE) {
            assertFalse(answer.body().contains(leak), "the answer shows a stack trace: " + answer.summary());
        }
        if (answer.status() != 200) {
            assertTrue(answer.status() >= 400 && answer.status() < 500, "neither refused nor answered: " + answer.summary());
            return;
        }
        JsonNode body = json(answer);
        List<JsonNode> answers = body.isArray() ? iterate(body) : List.of(body);
        assertFalse(answers.isEmpty(), "an empty bulk answer: " + answer.summary());
        for (JsonNode single : answers) {
            int status = single.path("status").asInt(200);
            assertTrue(expect.statuses().isEmpty() ? status >= 400 && status < 500 : expect.statuses().contains(status),
                    "Jolokia carried it out (status " + status + "), expected a refusal: " + answer.summary());
        }
    }

    private void checkCorsRefused(RawHttp.Response answer) {
        String allowed = answer.header("Access-Control-Allow-Origin");
        assertFalse(allowed.equals("*") || allowed.contains("evil"),
                "a foreign Origin is allowed (Access-Control-Allow-Origin: " + allowed + "): " + answer.summary());
    }

    private void assertStatus(RawHttp.Response answer, int status) {
        if (expect.statuses().isEmpty()) {
            assertTrue(status >= 400 && status < 500, "expected a 4xx: " + answer.summary());
        } else {
            assertTrue(expect.statuses().contains(status), "expected " + expect.statuses() + ": " + answer.summary());
        }
    }

    private static void assertNoImplementationDetails(RawHttp.Response answer) {
        for (String leak : IMPLEMENTATION_LEAKS) {
            assertFalse(answer.body().contains(leak), "the answer shows implementation details (" + leak + "): "
                    + answer.summary());
        }
    }

    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }

    private static JsonNode json(RawHttp.Response answer) {
        try {
            JsonNode node = JSON.readTree(answer.body());
            if (node == null || node.isMissingNode()) {
                return fail("an empty body: " + answer.summary());
            }
            return node;
        } catch (java.io.IOException e) {
            return fail("not JSON: " + answer.summary());
        }
    }
}
