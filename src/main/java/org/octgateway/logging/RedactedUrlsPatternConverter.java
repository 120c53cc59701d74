package org.octgateway.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.PatternParser;

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
public final class RedactedUrlsPatternConverter extends LogEventPatternConverter {

    /** scheme://[userinfo@]host[:port] then an optional path/query/fragment, up to whitespace or a quote. */
    private static final Pattern URL = Pattern.compile(
            "\\b([a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^\\s/?#@\"'<>]*@)?([^\\s/?#@\"'<>]+)([/?#][^\\s\"'<>]*)?");

    private final List<PatternFormatter> formatters;

    private RedactedUrlsPatternConverter(List<PatternFormatter> formatters) {
        super("redactedUrls", "redactedUrls");
        this.formatters = formatters;
    }

    /** Called by log4j with the nested pattern as the only option. */
    public static RedactedUrlsPatternConverter newInstance(Configuration config, String[] options) {
        if (options.length != 1 || options[0] == null) {
            LOGGER.error("%redactedUrls needs exactly one option, the pattern to redact: %redactedUrls{%msg}");
            return null;
        }
        return new RedactedUrlsPatternConverter(PatternLayout.createPatternParser(config).parse(options[0]));
    }

    @Override
    public boolean handlesThrowable() {
        return formatters.stream().map(PatternFormatter::getConverter).anyMatch(LogEventPatternConverter::handlesThrowable);
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, toAppendTo);
        }
        String redacted = redact(toAppendTo.substring(start));
        toAppendTo.setLength(start);
        toAppendTo.append(redacted);
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
