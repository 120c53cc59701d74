package org.octgateway.queue;

import java.nio.file.Path;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.support.service.ServiceSupport;
import org.octgateway.BackgroundStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default durable queue: an in-VM ActiveMQ Artemis broker whose journal lives under the data
 * directory, so queued jobs survive a crash or restart. Registered as a Camel service, it is running
 * before the routes start and stops after them.
 * <p>
 * It starts on a thread of its own as soon as the service is initialised (when it is added to the context, before
 * Camel builds the routes): loading Artemis and its journal takes 0.4–0.8 s of a cold start, which then overlaps
 * the route building instead of following it. {@link #doStart} waits for that start and fails as it failed.
 */
public class EmbeddedBroker extends ServiceSupport {

    public static final String IN_VM_URL = "vm://0";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Path dataDir;
    private final BrokerContract contract;
    private final int journalBufferMicros;
    private final long maxMemoryBytes;
    private volatile EmbeddedActiveMQ server;
    private volatile BackgroundStart<Void> starting;

    /**
     * @param journalBufferMicros how long the journal gathers commits before one sync covers them (µs)
     * @param maxMemoryBytes      how many bytes of queued messages stay on the heap; the rest is paged to disk
     */
    public EmbeddedBroker(Path dataDir, BrokerContract contract, int journalBufferMicros, long maxMemoryBytes) {
        this.dataDir = dataDir;
        this.contract = contract;
        this.journalBufferMicros = journalBufferMicros;
        this.maxMemoryBytes = maxMemoryBytes;
    }

    public boolean isActive() {
        return server != null && server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }

    /** The broker's queue view, for health checks and operations. */
    public EmbeddedActiveMQ server() {
        return server;
    }

    /** Begins the start on a thread of its own; {@link #doStart} waits for it. */
    @Override
    protected void doInit() {
        starting = BackgroundStart.begin("embedded-broker-start", () -> {
            startServer();
            return null;
        });
    }

    @Override
    protected void doStart() throws Exception {
        if (starting == null) {
            doInit(); // started again after a stop
        }
        starting.await();
        LOG.info("Embedded ActiveMQ Artemis broker started, journal in {}", dataDir.resolve("broker").toAbsolutePath());
    }

    private void startServer() throws Exception {
        Path brokerDir = dataDir.resolve("broker").toAbsolutePath();
        Configuration config = new ConfigurationImpl()
                .setName("oct-gateway-broker")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                // commits stay synced before they are answered (an accepted job survives a crash); the timeout only
                // decides how many commits one sync covers
                .setJournalSyncTransactional(true)
                .setJournalBufferTimeout_NIO(journalBufferMicros * 1000)
                .setJournalDirectory(brokerDir.resolve("journal").toString())
                .setBindingsDirectory(brokerDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(brokerDir.resolve("large-messages").toString())
                .setPagingDirectory(brokerDir.resolve("paging").toString())
                // the broker shares the gateway's heap: past this, every address pages to disk (Artemis' default
                // address-full-policy) instead of holding up to half the heap of queued messages
                .setGlobalMaxSize(maxMemoryBytes)
                .setJMXManagementEnabled(true)
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        // What the gateway relies on from any broker (BrokerContract, the same as deploy/broker.xml): a rolled-back job
        // or delivery comes back after a growing delay, and is parked in the gateway's dead-letter queue in the end.
        config.addAddressSetting("#", contract.addressSettings());
        // Webhook retries need no broker setting: the gateway queues each retry as a new message with a scheduled
        // delivery time (delivery/WebhookDelivery); the redelivery above only covers a delivery rolled back by a crash.
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        server = broker; // set before it starts: a failed start is stopped too (doStop)
        broker.start();
    }

    @Override
    protected void doStop() throws Exception {
        BackgroundStart<Void> start = starting;
        starting = null;
        if (start != null) {
            start.awaitEnd(); // a start still under way (the context failed to start meanwhile) ends, then stops
        }
        if (server != null) {
            server.stop();
            server = null;
            LOG.info("Embedded broker stopped");
        }
    }
}
