package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * A real Artemis broker in this JVM that the gateway reaches over TCP on loopback, as it would an external broker:
 * persistent (its journal in a directory of its own, so a stop and start keeps the queued messages), security off,
 * with the given address settings on every address (or Artemis' defaults, as a plain broker has them).
 */
final class TcpBroker implements AutoCloseable {

    final int port = TestPorts.free();
    private final Path dir;
    private final AddressSettings settings;
    private EmbeddedActiveMQ server;

    /** @param settings the address settings of "#", or null for Artemis' defaults */
    TcpBroker(AddressSettings settings) {
        this.settings = settings;
        try {
            Files.createDirectories(GatewayTestSupport.TEST_DATA);
            dir = Files.createTempDirectory(GatewayTestSupport.TEST_DATA, "tcp-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    TcpBroker start() {
        Configuration config = new ConfigurationImpl()
                .setName("tcp-broker-" + port)
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString());
        try {
            config.addAcceptorConfiguration("tcp", url());
            if (settings != null) {
                config.addAddressSetting("#", settings);
            }
            server = new EmbeddedActiveMQ();
            server.setConfiguration(config);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the test broker did not start", e);
        }
        return this;
    }

    void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
