package org.octgateway.queue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.octgateway.PrivateDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The durable queue: the embedded broker (or the external one at {@code gateway.broker.url}), the JMS component
 * the routes use, the job queue the REST side fills, and what reads the broker's state (health, depth, backlogs).
 * Beans that take other beans are lazy: they are built on first use, once every package has bound its own.
 */
public class QueueConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConfiguration.class);
    static final long MIN_UNREACHABLE_AFTER_MS = 300;

    /** The embedded broker, when no external broker is configured; not bound otherwise. */
    @BindToRegistry
    public EmbeddedBroker embeddedBroker(@PropertyInject("gateway.broker.url") String brokerUrl,
                                         @PropertyInject("gateway.data-dir") String dataDir,
                                         @PropertyInject("gateway.queue.dead-letters") String deadLetterQueue,
                                         @PropertyInject("gateway.broker.journal-buffer-timeout-us") int journalBufferMicros,
                                         @PropertyInject("gateway.broker.max-memory-bytes") long maxMemoryBytes) {
        if (!brokerUrl.isBlank()) {
            return null;
        }
        // queued uploads are on disk there (large messages): owner-only, like the upload and spool directories
        PrivateDirectory.restrict(Path.of(dataDir, "broker"));
        return new EmbeddedBroker(Path.of(dataDir), new BrokerContract(deadLetterQueue), journalBufferMicros,
                maxMemoryBytes);
    }

    /**
     * Connections to the broker: in-VM to the embedded one, or to {@code gateway.broker.url}. Lazy, like every bean
     * here that can be: camel-main 4.17 post-processes a configuration class twice (once as the injector creates it,
     * once as it loads it), so an eager bean method runs twice, and this one logged its broker twice.
     */
    @BindToRegistry(lazy = true)
    public ActiveMQConnectionFactory brokerConnectionFactory(@PropertyInject("gateway.broker.url") String brokerUrl,
                                                             @PropertyInject("gateway.broker.username") String username,
                                                             @PropertyInject("gateway.broker.password") String password) {
        ActiveMQConnectionFactory factory;
        if (brokerUrl.isBlank()) {
            factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
        } else {
            LOG.info("Using the external broker at {}", brokerUrl);
            factory = externalBroker(brokerUrl, username, password);
        }
        // Jobs are slow (an inference call each): no prefetch, so every idle consumer can take the next one.
        factory.setConsumerWindowSize(0);
        return factory;
    }

    /** One shared connection with cached sessions and producers, for the routes and the job queue (see the class). */
    @BindToRegistry(lazy = true)
    public CachingConnectionFactory jmsConnectionFactory(ActiveMQConnectionFactory brokerConnectionFactory,
                                                         QueueHealth queueHealth) {
        CachingConnectionFactory factory = new SessionCache(brokerConnectionFactory, queueHealth);
        // Consumers are long-lived in the listener containers; caching them here would strand prefetched jobs.
        factory.setCacheConsumers(false);
        factory.setSessionCacheSize(20);
        return factory;
    }

    /** The job and delivery consumers' first step: their JMS message as a plain Camel message (see the class). */
    @BindToRegistry
    public JmsMessageRead jmsMessageRead() {
        return new JmsMessageRead();
    }

    /** The gateway's queues, looked up in the broker once each (see the class). */
    @BindToRegistry
    public QueueDestinations queueDestinations() {
        return new QueueDestinations();
    }

    @BindToRegistry(lazy = true)
    public JmsComponent jms(CachingConnectionFactory jmsConnectionFactory, QueueDestinations queueDestinations) {
        JmsComponent jms = JmsComponent.jmsComponent(jmsConnectionFactory);
        jms.setDestinationResolver(queueDestinations);
        return jms;
    }

    /**
     * Readiness and /ping state (a Camel service, see {@link #configure}). An external broker is watched through a
     * connection factory of its own, which pings the broker and gives up on it after {@code silenceMs} without an
     * answer: a broker host or network that vanishes without closing the connection is seen in seconds, where the
     * job connections' default (60 s, or what the URL says) would keep /ping at 200 meanwhile.
     */
    @BindToRegistry(lazy = true)
    public QueueHealth queueHealth(CamelContext context,
                                   @PropertyInject("gateway.broker.url") String brokerUrl,
                                   @PropertyInject("gateway.broker.username") String username,
                                   @PropertyInject("gateway.broker.password") String password,
                                   @PropertyInject("gateway.broker.unreachable-after-ms") long silenceMs) {
        if (silenceMs < MIN_UNREACHABLE_AFTER_MS) {
            // the broker is pinged every third of it: less would ping it hundreds of times a second
            throw new IllegalArgumentException("gateway.broker.unreachable-after-ms must be at least "
                    + MIN_UNREACHABLE_AFTER_MS + " (milliseconds), not " + silenceMs);
        }
        EmbeddedBroker embedded = embeddedBroker(context);
        if (embedded != null) {
            return new QueueHealth(embedded, null);
        }
        ActiveMQConnectionFactory watch = externalBroker(brokerUrl, username, password);
        watch.setConnectionTTL(silenceMs);
        watch.setClientFailureCheckPeriod(silenceMs / 3);
        // and no longer wait for an answer: a reconnect that reached a broker still starting waited the default 30 s
        watch.setCallTimeout(silenceMs);
        // Threads of its own, none of them shared: on Artemis's shared client pool the watch's failure handling could
        // wait behind a job connection's reconnect, which loops until the broker is back (the pool's offer() can queue
        // a task while it is below its maximum: ExternalBrokerIT saw /ping answer 200 through an outage). A cached pool
        // never queues.
        watch.setUseGlobalPools(false);
        watch.setThreadPoolMaxSize(-1);
        watch.setScheduledThreadPoolMaxSize(1);
        return new QueueHealth(null, watch);
    }

    /** The broker's counters of the gateway's queues (metrics, health, the backlog limits); never asked while it is down. */
    @BindToRegistry(lazy = true)
    public BrokerCounts brokerCounts(CamelContext context, CachingConnectionFactory jmsConnectionFactory, QueueHealth queueHealth,
                                     @PropertyInject("gateway.queue.jobs") String jobsQueue) {
        return new BrokerCounts(embeddedBroker(context), jmsConnectionFactory, jobsQueue, new ObjectMapper(),
                queueHealth::brokerReachable);
    }

    @BindToRegistry(lazy = true)
    public JobQueue jobQueue(CachingConnectionFactory jmsConnectionFactory, QueueDestinations queueDestinations,
                             @PropertyInject("gateway.queue.jobs") String jobsQueue) {
        return new JobQueue(jmsConnectionFactory, queueDestinations, jobsQueue, new ObjectMapper());
    }

    /** The backlog limits, with the callers' counts read back from the broker (see {@link #configure}). */
    @BindToRegistry(lazy = true)
    public CallerBacklog callerBacklog(BrokerCounts brokerCounts,
                                       @PropertyInject("gateway.queue.max-backlog") long maxBacklog,
                                       @PropertyInject("gateway.queue.max-backlog-per-caller") long maxPerCaller,
                                       @PropertyInject("gateway.bucket.max-images-per-request") int maxPerRequest) {
        return new CallerBacklog(brokerCounts, maxBacklog, maxPerCaller, maxPerRequest);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        EmbeddedBroker broker = embeddedBroker(context);
        if (broker != null) {
            // A Camel service, started now (before any route or bean connects) and stopped after the routes.
            context.addService(broker, true, true);
        }
        // Close the shared connection before the embedded broker stops (services stop in reverse order), or the
        // broker's shutdown disconnects it and Spring logs the disconnect with a stack trace on every SIGTERM.
        CachingConnectionFactory connections = context.getRegistry().lookupByNameAndType("jmsConnectionFactory",
                CachingConnectionFactory.class);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                connections.destroy();
            }
        }, true, false);
        // the broker's state for /ping and readiness, from the start (an external broker: watched by a connection)
        context.addService(context.getRegistry().lookupByNameAndType("queueHealth", QueueHealth.class), true, true);
        if (broker == null) {
            context.addService(brokerSettingsCheck(context), true, true);
        }
        context.addStartupListener((started, alreadyStarted) -> {
            if (!alreadyStarted) {
                scheduleRecounts(started, broker == null);
            }
        });
    }

    /**
     * The callers' counts are recounted from the broker at startup (jobs queued before a restart) and, with an
     * external broker that other gateways share, every few seconds: their workers take this gateway's jobs too.
     */
    private void scheduleRecounts(CamelContext context, boolean sharedBroker) {
        CallerBacklog backlog = context.getRegistry().lookupByNameAndType("callerBacklog", CallerBacklog.class);
        ScheduledExecutorService recounts = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "caller-backlog-recount");
        if (sharedBroker) {
            recounts.scheduleWithFixedDelay(backlog::recount, 0, CallerBacklog.RECOUNT_SECONDS, TimeUnit.SECONDS);
        } else {
            recounts.execute(backlog::recount);
        }
    }

    /** An external broker's address settings, compared with what the gateway relies on at startup (WARN or refuse). */
    private static BrokerSettingsCheck brokerSettingsCheck(CamelContext context) {
        ActiveMQConnectionFactory connections = context.getRegistry().lookupByNameAndType("brokerConnectionFactory",
                ActiveMQConnectionFactory.class);
        List<String> queues = List.of(context.resolvePropertyPlaceholders("{{gateway.queue.jobs}}"),
                context.resolvePropertyPlaceholders("{{gateway.queue.deliveries}}"),
                context.resolvePropertyPlaceholders("{{gateway.queue.dead-letters}}"));
        BrokerContract contract = new BrokerContract(context.resolvePropertyPlaceholders("{{gateway.queue.dead-letters}}"));
        boolean required = Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{gateway.broker.require-settings}}"));
        return new BrokerSettingsCheck(connections, contract, queues, required);
    }

    /** Connections to {@code gateway.broker.url} as the URL's options say, with the gateway's login if one is set. */
    private static ActiveMQConnectionFactory externalBroker(String brokerUrl, String username, String password) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        if (!username.isBlank()) {
            factory.setUser(username);
            factory.setPassword(password);
        }
        return factory;
    }

    private static EmbeddedBroker embeddedBroker(CamelContext context) {
        return context.getRegistry().findSingleByType(EmbeddedBroker.class);
    }
}
