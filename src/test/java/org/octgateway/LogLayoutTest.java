package org.octgateway;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped log layouts (src/main/resources/log4j2.properties) keep one event on one line whatever the
 * logged values hold: every control character, Unicode line break and bidi override is escaped.
 */
class LogLayoutTest {

    private static final Logger LOG = LogManager.getLogger("org.octgateway.LogLayoutTest");

    /** Every character that could end a line or drive a terminal, and a forged line after a newline. */
    private static final String HOSTILE = "scan.png\n12:00:00.000 INFO  [main] Acceptance - forged\r\u001b[31mred"
            + "\u0000\u0007\b\f\u000b\u007f\u0085\u009b2J\u2028\u2029\u202etxt.exe";
    private static final String FORGED = "12:00:00.000 INFO  [main] Acceptance - forged";

    @AfterEach
    void clearMdc() {
        ThreadContext.clearMap();
    }

    @Test
    void textLayoutEscapesControlCharactersInTheMessageTheMdcAndTheStackTrace() {
        List<String> lines;
        try (LogCapture log = new LogCapture("text")) {
            ThreadContext.put("request_uuid", "r-1");
            ThreadContext.put("examination_id", "exam\nforged-mdc");
            LOG.info("Job accepted: filename={}", HOSTILE);
            LOG.log(Level.ERROR, "Request failed", new IllegalArgumentException("bad name: " + HOSTILE,
                    new IllegalStateException("cause\n" + FORGED)));
            lines = log.lines();
        }

        assertEquals(2, lines.size(), "one line per event: " + lines);
        for (String line : lines) {
            assertTrue(line.chars().noneMatch(c -> c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029
                    || c == 0x202E), "no raw control character: " + line);
            assertTrue(line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |ERROR) .*"), line);
        }
        assertTrue(lines.get(0).contains("scan.png\\n" + FORGED + "\\r\\u001b[31mred"), lines.get(0));
        assertTrue(lines.get(0).contains("\\u0000\\u0007\\u0008\\u000c\\u000b\\u007f\\u0085\\u009b2J\\u2028\\u2029\\u202etxt.exe"),
                lines.get(0));
        assertTrue(lines.get(0).contains("examination_id=exam\\nforged-mdc]"), lines.get(0));
        assertTrue(lines.get(1).contains("java.lang.IllegalArgumentException: bad name: scan.png\\n" + FORGED), lines.get(1));
        assertTrue(lines.get(1).contains("\\n\\tat org.octgateway.LogLayoutTest"), "the stack trace stays, escaped: " + lines.get(1));
        assertTrue(lines.get(1).contains("Caused by: java.lang.IllegalStateException: cause\\n" + FORGED), lines.get(1));
    }

    @Test
    void urlsInLogLinesAreCutToSchemeAndHostInBothLayouts() {
        String[] messages = {
                "Using the external broker at tcp://gw:brokerPw@broker.internal:61616?user=gw&password=s3cret",
                "HTTP operation failed invoking http://model.internal:8000/v1/infer?api_key=k3y with statusCode: 503",
                "Webhook https://hooks.clinic.example/t/tok3n#frag answered 500; route (direct://accept-bucket) unchanged"};
        for (String appender : new String[] {"text", "json"}) {
            List<String> lines;
            try (LogCapture log = new LogCapture(appender)) {
                for (String message : messages) {
                    LOG.warn(message);
                }
                lines = log.lines();
            }
            String all = String.join("\n", lines);
            for (String secret : new String[] {"brokerPw", "s3cret", "/v1/infer", "k3y", "tok3n", "frag"}) {
                assertFalse(all.contains(secret), appender + " layout leaks " + secret + ": " + all);
            }
            assertTrue(lines.get(0).contains("tcp://broker.internal:61616/…"), lines.get(0));
            assertTrue(lines.get(1).contains("http://model.internal:8000/… with statusCode: 503"), lines.get(1));
            assertTrue(lines.get(2).contains("https://hooks.clinic.example/… answered 500"), lines.get(2));
            assertTrue(lines.get(2).contains("(direct://accept-bucket)"), "nothing to cut, nothing added: " + lines.get(2));
        }
    }

    @Test
    void jsonLayoutEscapesControlCharactersByItself() {
        List<String> lines;
        try (LogCapture log = new LogCapture("json")) {
            ThreadContext.put("examination_id", "exam\nforged-mdc");
            LOG.info("Job accepted: filename={}", HOSTILE);
            LOG.log(Level.ERROR, "Request failed", new IllegalArgumentException("bad name: " + HOSTILE));
            lines = log.lines();
        }

        assertEquals(2, lines.size(), "one JSON object per line: " + lines);
        assertTrue(lines.stream().allMatch(line -> line.chars().noneMatch(c -> c < 0x20)), "no raw C0 control: " + lines);
        JsonNode accepted = GatewayTestSupport.json(lines.get(0));
        assertEquals("Job accepted: filename=" + HOSTILE, accepted.path("message").asText(), "the value survives exactly");
        assertEquals("exam\nforged-mdc", accepted.path("examination_id").asText(), lines.get(0));
        JsonNode failed = GatewayTestSupport.json(lines.get(1));
        assertTrue(failed.path("error.message").asText().contains(FORGED) || failed.toString().contains(FORGED), lines.get(1));
    }
}
