package org.octgateway;

import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the gateway logs while open, as text (message, MDC, stack traces), with the gateway's own loggers
 * ({@code org.octgateway}) at DEBUG so the per-job lines are in it too.
 */
final class LogCapture implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    private final Level gatewayLevel = LogManager.getLogger("org.octgateway").getLevel();

    LogCapture() {
        appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level %c{1} %X - %msg %ex%n").build()).build();
        appender.start();
        logging.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        logging.updateLoggers();
        Configurator.setLevel("org.octgateway", Level.DEBUG);
    }

    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        Configurator.setLevel("org.octgateway", gatewayLevel);
        logging.getConfiguration().getRootLogger().removeAppender(appender.getName());
        logging.updateLoggers();
        appender.stop();
    }
}
