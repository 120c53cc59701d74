package org.octgateway.logging;

import java.util.List;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * A converter written {@code %name{pattern}}: it formats the nested pattern, then rewrites what that printed
 * ({@link EscapedPatternConverter}, {@link RedactedUrlsPatternConverter}).
 */
abstract class NestedPatternConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;

    NestedPatternConverter(String name, List<PatternFormatter> formatters) {
        super(name, name);
        this.formatters = formatters;
    }

    /** The nested pattern of {@code %name{pattern}}, parsed; null (log4j then leaves the converter out) without one. */
    static List<PatternFormatter> nestedPattern(String name, Configuration config, String[] options) {
        if (options.length != 1 || options[0] == null) {
            LOGGER.error("%{} needs exactly one option, the nested pattern: %{}{%msg}", name, name);
            return null;
        }
        return PatternLayout.createPatternParser(config).parse(options[0]);
    }

    /** A nested %ex prints the throwable: the layout must not append it a second time, un-rewritten. */
    @Override
    public boolean handlesThrowable() {
        return formatters.stream().map(PatternFormatter::getConverter).anyMatch(LogEventPatternConverter::handlesThrowable);
    }

    @Override
    public final void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, toAppendTo);
        }
        // Most lines have nothing to rewrite: judged in place, they are not copied out and back (every line, 2 levels).
        if (!rewrites(toAppendTo, start)) {
            return;
        }
        String printed = toAppendTo.substring(start);
        toAppendTo.setLength(start);
        rewrite(printed, toAppendTo);
    }

    /** Whether {@link #rewrite} would change what the nested pattern printed: {@code printed} from {@code start} on. */
    abstract boolean rewrites(StringBuilder printed, int start);

    /** Appends to {@code out} what the nested pattern {@code printed}, rewritten. */
    abstract void rewrite(String printed, StringBuilder out);
}
