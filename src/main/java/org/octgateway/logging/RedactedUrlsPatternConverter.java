package org.octgateway.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * {@code %redactedUrls{pattern}} in log4j2.properties: every URL in the nested output is cut to
 * {@code scheme://host[:port]}, followed by {@code /…} where a path, query or fragment was dropped; user info is
 * dropped too. URLs carry secrets in all three places (an external broker's {@code ?password=}, a model
 * server's API key, a caller's webhook token), and they reach the log from our lines and from Camel's
 * and the HTTP client's (e.g. an {@code HttpOperationFailedException} naming the URL it called), so the
 * layout redacts them all in one place instead of every call site.
 */
@Plugin(name = "redactedUrls", category = PatternConverter.CATEGORY)
@ConverterKeys({"redactedUrls"})
public final class RedactedUrlsPatternConverter extends NestedPatternConverter {

    /** scheme://[userinfo@]host[:port] then an optional path/query/fragment, up to whitespace or a quote. */
    static final Pattern URL = Pattern.compile(
            "\\b([a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^\\s/?#@\"'<>]*@)?([^\\s/?#@\"'<>]+)([/?#][^\\s\"'<>]*)?");

    private static final String NAME = "redactedUrls";

    private RedactedUrlsPatternConverter(List<PatternFormatter> formatters) {
        super(NAME, formatters);
    }

    /** Called by log4j with the nested pattern as the only option. */
    public static RedactedUrlsPatternConverter newInstance(Configuration config, String[] options) {
        List<PatternFormatter> nested = nestedPattern(NAME, config, options);
        return nested == null ? null : new RedactedUrlsPatternConverter(nested);
    }

    @Override
    boolean rewrites(StringBuilder printed, int start) {
        return !unchanged(printed, start);
    }

    /** Called once {@link #rewrites} found a URL to cut: the regex alone, the text is not judged again. */
    @Override
    void rewrite(String printed, StringBuilder out) {
        out.append(cut(printed));
    }

    /** {@code text} with every URL cut to scheme://host[:port], plus "/…" where more was dropped. */
    public static String redact(String text) {
        return unchanged(text, 0) ? text : cut(text);
    }

    private static String cut(String text) {
        Matcher url = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (url.find()) {
            String replacement = url.group(1) + url.group(2) + (url.group(3) == null ? "" : "/…");
            url.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        url.appendTail(out);
        return out.toString();
    }

    /**
     * Whether {@link #URL} leaves {@code text} (from {@code start} on) as it is, judged without the regex: no "://", or
     * each "://" followed by a host alone or by a host and "/…", i.e. URLs cut already (the gateway's own lines show
     * webhooks so, e.g. every delivery's "Result delivered to the webhook at http://host/…"). The regex scanned every
     * such line, a word-boundary test at each character: ~1 % of the delivery consumers' CPU in the profile.
     * False when unsure: the regex then decides.
     */
    static boolean unchanged(CharSequence text, int start) {
        int length = text.length();
        for (int i = start; i + 2 < length; i++) {
            if (text.charAt(i) != ':' || text.charAt(i + 1) != '/' || text.charAt(i + 2) != '/') {
                continue;
            }
            int host = i + 3;
            int end = host;
            while (end < length && !endsHost(text.charAt(end))) {
                end++;
            }
            if (end == host) {
                return false; // no host (or user info first): the regex judges
            }
            if (end + 1 < length && text.charAt(end) == '/' && text.charAt(end + 1) == '…') {
                end += 2; // "/…": cut already
            }
            if (end < length && !endsUrl(text.charAt(end))) {
                return false; // user info, a path, a query or a fragment follows: the regex cuts it
            }
            i = end - 1;
        }
        return true;
    }

    /** What ends the host part of {@link #URL}: [\s/?#@"'<>]. */
    private static boolean endsHost(char c) {
        return c == '/' || c == '?' || c == '#' || c == '@' || endsUrl(c);
    }

    /** What ends the path part of {@link #URL}: [\s"'<>] (\s: space, tab, line feed, vertical tab, form feed, carriage return). */
    private static boolean endsUrl(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\013' || c == '\f' || c == '\r' || c == '"' || c == '\''
                || c == '<' || c == '>';
    }
}
