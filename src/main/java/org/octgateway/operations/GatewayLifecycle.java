package org.octgateway.operations;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.octgateway.queue.QueueHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start and stop of the gateway as operators see them: the gateway's MBeans are published once Camel
 * has started; on shutdown (SIGTERM) /ping and readiness turn 503 at once, before routes stop, so load
 * balancers stop sending work while in-flight jobs finish and queued ones stay in the journal.
 */
public class GatewayLifecycle extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayLifecycle.class);
    private final QueueHealth queueHealth;
    private final DeadLetters deadLetters;

    public GatewayLifecycle(QueueHealth queueHealth, DeadLetters deadLetters) {
        this.queueHealth = queueHealth;
        this.deadLetters = deadLetters;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent || event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(DeadLetters.OBJECT_NAME);
        if (event instanceof CamelEvent.CamelContextStartedEvent) {
            if (!server.isRegistered(name)) {
                server.registerMBean(deadLetters, name);
                IdleMemory.releaseAfterStart(); // once per start (the event repeats when routes start later)
            }
        } else {
            queueHealth.shuttingDown();
            LOG.info("Shutting down: no new work accepted; in-flight jobs finish, queued jobs stay in the queue");
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        }
    }
}
