package org.octgateway.logging;

import java.util.List;

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
 * {@code %escaped{pattern}} in log4j2.properties: formats the nested pattern, then escapes every character
 * that could break a log line or a terminal: C0 controls (CR and LF as {@code \r} {@code \n}, tab as
 * {@code \t}, ESC and the rest as {@code \}{@code u001b}), DEL, C1 controls (NEL, CSI…), the Unicode line and
 * paragraph separators and the bidirectional overrides. Log4j's own {@code %enc{…}{CRLF}} escapes only CR and LF.
 * Values from requests (file names, header values, exception messages quoting them) then cannot forge a log
 * line or recolour one; a stack trace becomes one line with {@code \n\tat} escapes.
 */
@Plugin(name = "escaped", category = PatternConverter.CATEGORY)
@ConverterKeys({"escaped"})
public final class EscapedPatternConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;

    private EscapedPatternConverter(List<PatternFormatter> formatters) {
        super("escaped", "escaped");
        this.formatters = formatters;
    }

    /** Called by log4j with the nested pattern as the only option. */
    public static EscapedPatternConverter newInstance(Configuration config, String[] options) {
        if (options.length != 1 || options[0] == null) {
            LOGGER.error("%escaped needs exactly one option, the pattern to escape: %escaped{%msg}");
            return null;
        }
        PatternParser parser = PatternLayout.createPatternParser(config);
        return new EscapedPatternConverter(parser.parse(options[0]));
    }

    /** A nested %ex prints the throwable: the layout must not append it a second time, unescaped. */
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
        // A printed stack trace ends with a line break: the layout's own %n ends the line instead.
        int end = toAppendTo.length();
        while (end > start && (toAppendTo.charAt(end - 1) == '\n' || toAppendTo.charAt(end - 1) == '\r')) {
            end--;
        }
        String formatted = toAppendTo.substring(start, end);
        toAppendTo.setLength(start);
        escape(formatted, toAppendTo);
    }

    /** Appends {@code text} to {@code out} with every line-breaking or terminal-controlling character escaped. */
    public static void escape(CharSequence text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    static boolean needsEscape(char c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029'
                || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }
}
