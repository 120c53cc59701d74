package org.octgateway;

import java.io.StringWriter;
import java.util.List;
import java.util.UUID;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Captures what the gateway logs while open, formatted by a shipped layout (log4j2.properties' {@code text} or
 * {@code json} appender), as the lines an operator would read.
 */
final class LogCapture implements AutoCloseable {

    private static final String GATEWAY_LOGGERS = "org.octgateway";

    private final StringWriter out = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String name = "capture-" + UUID.randomUUID();
    private final Level gatewayLevel = LogManager.getLogger(GATEWAY_LOGGERS).getLevel();

    /** The shipped text layout, with the gateway's own loggers at DEBUG so the per-job lines are in it too. */
    LogCapture() {
        this("text");
        Configurator.setLevel(GATEWAY_LOGGERS, Level.DEBUG);
    }

    LogCapture(String shippedAppender) {
        Configuration config = context.getConfiguration();
        StringLayout layout = (StringLayout) config.getAppender(shippedAppender).getLayout();
        WriterAppender appender = WriterAppender.newBuilder().setName(name).setTarget(out).setLayout(layout).build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** Everything captured so far. */
    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    /** The captured output split into physical lines, as a terminal or a line-based log shipper sees them. */
    List<String> lines() {
        return text().lines().toList();
    }

    @Override
    public void close() {
        Configurator.setLevel(GATEWAY_LOGGERS, gatewayLevel);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(name);
        context.updateLoggers();
        config.getAppender(name).stop();
    }
}
