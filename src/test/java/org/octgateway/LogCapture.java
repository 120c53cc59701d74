package org.octgateway;

import java.io.StringWriter;
import java.util.List;
import java.util.UUID;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * Captures what the gateway logs, formatted by the shipped layout (log4j2.properties' {@code text} or
 * {@code json} appender), as the lines an operator would read.
 */
final class LogCapture implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String name = "capture-" + UUID.randomUUID();

    LogCapture(String shippedAppender) {
        Configuration config = context.getConfiguration();
        StringLayout layout = (StringLayout) config.getAppender(shippedAppender).getLayout();
        WriterAppender appender = WriterAppender.newBuilder().setName(name).setTarget(out).setLayout(layout).build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** The captured output split into physical lines, as a terminal or a line-based log shipper sees them. */
    List<String> lines() {
        return out.toString().lines().toList();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(name);
        context.updateLoggers();
        config.getAppender(name).stop();
    }
}
