package org.octgateway;

import java.io.StringWriter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything the gateway logs under one logger name (and below) while open, as text. */
public final class CapturedLog implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final Logger logger;

    public CapturedLog(String loggerName) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        logger = context.getLogger(loggerName);
        appender = WriterAppender.newBuilder().setName("captured-" + System.nanoTime()).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %logger{1} - %msg %throwable%n").build()).build();
        appender.start();
        logger.addAppender(appender);
    }

    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
