package org.octgateway.logging;

import java.util.Random;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The redaction's pre-check (a line whose URLs are cut already is left to itself, without the regex) changes no
 * line: whatever the text, {@code redact} answers what the regex alone answers.
 */
class RedactedUrlsPatternConverterTest {

    /** The regex alone, as every line went through it before the pre-check. */
    private static String regexOnly(String text) {
        Matcher url = RedactedUrlsPatternConverter.URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (url.find()) {
            url.appendReplacement(out, Matcher.quoteReplacement(url.group(1) + url.group(2) + (url.group(3) == null ? "" : "/…")));
        }
        url.appendTail(out);
        return out.toString();
    }

    @Test
    void aLineWhoseUrlsAreCutAlreadyIsLeftAsItIs() {
        String delivered = "Result delivered to the webhook at http://127.0.0.1:9000/… (HTTP 200)";
        assertTrue(RedactedUrlsPatternConverter.unchanged(delivered, 0));
        assertSame(delivered, RedactedUrlsPatternConverter.redact(delivered));
        String bare = "route (direct://accept-bucket) and 'https://hooks.example' and tcp://broker:61616";
        assertSame(bare, RedactedUrlsPatternConverter.redact(bare));
    }

    @Test
    void urlsWithSecretsAreStillCut() {
        assertEquals("at tcp://broker.internal:61616/… now",
                RedactedUrlsPatternConverter.redact("at tcp://gw:pw@broker.internal:61616?password=s3cret now"));
        assertEquals("http://h/… then http://h/…", RedactedUrlsPatternConverter.redact("http://h/… then http://h/x?token=t"));
        assertEquals("http://h/…", RedactedUrlsPatternConverter.redact("http://h/……"));
        assertEquals("http://h", RedactedUrlsPatternConverter.redact("http://u@h"));
    }

    @Test
    void redactsExactlyWhatTheRegexRedactsWhateverTheText() {
        String[] pieces = {"http", "://", ":/", "/", "…", "/…", "@", "?", "#", " ", "\t", "\u000b", "\n", "\"", "'", "<", ">",
            "h", "host.example", ":8080", "_", ".", "+", "-", "é", "1", "user:pw", "x=y&t=k"};
        Random random = new Random(20261128);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i >= 0; i--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String line = text.toString();
            assertEquals(regexOnly(line), RedactedUrlsPatternConverter.redact(line), line);
        }
    }
}
