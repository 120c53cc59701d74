package org.octgateway.logging;

import java.util.List;

import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

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
public final class EscapedPatternConverter extends NestedPatternConverter {

    private static final String NAME = "escaped";

    private EscapedPatternConverter(List<PatternFormatter> formatters) {
        super(NAME, formatters);
    }

    /** Called by log4j with the nested pattern as the only option. */
    public static EscapedPatternConverter newInstance(Configuration config, String[] options) {
        List<PatternFormatter> nested = nestedPattern(NAME, config, options);
        return nested == null ? null : new EscapedPatternConverter(nested);
    }

    /** Any character {@link #escape} escapes (line breaks and tabs are among {@link #needsEscape}'s controls). */
    @Override
    boolean rewrites(StringBuilder printed, int start) {
        for (int i = start; i < printed.length(); i++) {
            if (needsEscape(printed.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    void rewrite(String printed, StringBuilder out) {
        // A printed stack trace ends with a line break: the layout's own %n ends the line instead.
        int end = printed.length();
        while (end > 0 && (printed.charAt(end - 1) == '\n' || printed.charAt(end - 1) == '\r')) {
            end--;
        }
        escape(printed.subSequence(0, end), out);
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
