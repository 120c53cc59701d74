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
    private static final Pattern URL = Pattern.compile(
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
    void rewrite(String printed, StringBuilder out) {
        out.append(redact(printed));
    }

    /** {@code text} with every URL cut to scheme://host[:port], plus "/…" where more was dropped. */
    public static String redact(String text) {
        if (text.indexOf("://") < 0) {
            return text;
        }
        Matcher url = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (url.find()) {
            String replacement = url.group(1) + url.group(2) + (url.group(3) == null ? "" : "/…");
            url.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        url.appendTail(out);
        return out.toString();
    }
}
