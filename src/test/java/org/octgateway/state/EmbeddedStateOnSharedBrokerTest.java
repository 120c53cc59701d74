package org.octgateway.state;

import java.io.StringWriter;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several gateways on one broker must share one state store: a gateway on an external broker that keeps its records in
 * its own embedded H2 says at startup what goes wrong if others share the broker, and what to set. One on the embedded
 * broker (one node) has nothing to say.
 */
class EmbeddedStateOnSharedBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void anExternalBrokerWithTheEmbeddedStoreIsWarnedAboutAtStartup() {
        String log = startupLog("tcp://artemis:61616");
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("set the same gateway.db.url (PostgreSQL) on all of them"), log);
    }

    @Test
    void theEmbeddedBrokerWithTheEmbeddedStoreIsNotWarnedAbout() {
        String log = startupLog("");
        assertFalse(log.contains("WARN"), log);
        assertTrue(log.contains("State store: embedded H2"), log);
    }

    private String startupLog(String brokerUrl) {
        StringWriter text = new StringWriter();
        Logger logger = ((LoggerContext) LogManager.getContext(false)).getLogger(StateConfiguration.class.getName());
        WriterAppender appender = WriterAppender.newBuilder().setName("state-startup-" + System.nanoTime()).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %msg%n").build()).build();
        appender.start();
        logger.addAppender(appender);
        try (HikariDataSource dataSource = new StateConfiguration().stateDataSource("", "", "", "", dataDir.toString(), 4, 4, 16,
                brokerUrl)) {
            return text.toString();
        } finally {
            logger.removeAppender(appender);
            appender.stop();
        }
    }
}
