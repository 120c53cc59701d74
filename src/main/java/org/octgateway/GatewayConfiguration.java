package org.octgateway;

import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.octgateway.api.Acceptance;
import org.octgateway.api.ApiKeys;
import org.octgateway.api.Authentication;
import org.octgateway.api.BusinessPortHttpEngine;
import org.octgateway.delivery.RetrySchedule;
import org.octgateway.delivery.WebhookAddressPolicy;
import org.octgateway.api.BytesInFlight;
import org.octgateway.api.UploadGuards;
import org.octgateway.delivery.WebhookDelivery;
import org.octgateway.delivery.WebhookHttpClient;
import org.octgateway.delivery.WebhookSigner;
import org.octgateway.demo.DemoWebhookSink;
import org.octgateway.demo.ImageFacts;
import org.octgateway.queue.BrokerCounts;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.queue.EmbeddedBroker;
import org.octgateway.queue.JobQueue;
import org.octgateway.queue.QueueHealth;
import org.octgateway.api.JsonHttpErrors;
import org.octgateway.operations.DeadLetters;
import org.octgateway.operations.EventLoopHealthCheck;
import org.octgateway.operations.GatewayLifecycle;
import org.octgateway.operations.GatewayMetrics;
import org.octgateway.operations.InferenceServerHealthCheck;
import org.octgateway.operations.JobQueueHealthCheck;
import org.octgateway.operations.JolokiaGuard;
import org.octgateway.operations.ManagementExposure;
import org.octgateway.operations.QueueStats;
import org.octgateway.operations.WebhookBacklogHealthCheck;
import org.octgateway.storage.ExamListing;
import org.octgateway.storage.ResultPaths;
import org.octgateway.validation.AllowList;
import org.octgateway.validation.RequestValidator;
import org.octgateway.worker.JobSpool;
import org.octgateway.worker.JobSteps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Every bean of the gateway, declared in one place: the durable queue (embedded broker or external),
 * the JMS component, and the beans the routes call by name.
 */
@Configuration
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    @PropertyInject("gateway.data-dir")
    String dataDir;
    @PropertyInject(value = "gateway.broker.url", defaultValue = "")
    String brokerUrl;
    @PropertyInject(value = "gateway.broker.username", defaultValue = "")
    String brokerUsername;
    @PropertyInject(value = "gateway.broker.password", defaultValue = "")
    String brokerPassword;
    @PropertyInject("gateway.queue.jobs")
    String jobsQueue;
    @PropertyInject("gateway.queue.deliveries")
    String deliveryQueue;
    @PropertyInject("gateway.health.webhook-backlog-threshold")
    long webhookBacklogThreshold;
    @PropertyInject(value = "camel.server.port", defaultValue = "8080")
    int serverPort;
    @PropertyInject("gateway.queue.dead-letters")
    String deadLetterQueue;
    @PropertyInject("gateway.inference.url")
    String inferenceUrl;
    @PropertyInject("gateway.webhook.max-attempts")
    int webhookMaxAttempts;
    @PropertyInject("gateway.webhook.retry-schedule")
    String webhookRetrySchedule;
    @PropertyInject("gateway.webhook.max-retry-after-ms")
    long webhookMaxRetryAfterMs;
    @PropertyInject("gateway.webhook.timeout-ms")
    long webhookTimeoutMs;
    @PropertyInject("gateway.webhook.max-response-bytes")
    int webhookMaxResponseBytes;
    @PropertyInject("gateway.webhook.per-host-concurrency")
    int webhookPerHostConcurrency;
    @PropertyInject("gateway.webhook.concurrency")
    int webhookConcurrency;
    @PropertyInject(value = "gateway.webhook.allowed-subnets", defaultValue = "")
    String webhookAllowedSubnets;
    @PropertyInject(value = "gateway.demo.enabled", defaultValue = "false")
    boolean demoEnabled;
    @PropertyInject(value = "gateway.webhook.secret", defaultValue = "")
    String webhookSecret;
    @PropertyInject(value = "gateway.webhook.allowed-hosts", defaultValue = "")
    String webhookAllowedHosts;
    @PropertyInject("gateway.result-path-template")
    String resultPathTemplate;
    @PropertyInject(value = "gateway.management.allowed-origins", defaultValue = "")
    String managementAllowedOrigins;
    @PropertyInject(value = "gateway.api-keys", defaultValue = "")
    String apiKeys;
    @PropertyInject(value = "gateway.api-keys-file", defaultValue = "")
    String apiKeysFile;
    @PropertyInject("gateway.queue.max-backlog")
    long maxBacklog;
    @PropertyInject("gateway.queue.max-backlog-per-caller")
    long maxBacklogPerCaller;
    @PropertyInject("gateway.bucket.max-images-per-request")
    int maxImagesPerRequest;
    @PropertyInject("camel.server.fileUploadDirectory")
    String uploadDirectory;
    @PropertyInject("camel.server.maxBodySize")
    long maxBodySize;
    @PropertyInject("gateway.upload.max-bytes-in-flight")
    long maxBytesInFlight;
    @PropertyInject("gateway.health.event-loop-max-delay-ms")
    long eventLoopMaxDelayMs;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // Before anything starts: a management port open to the network without credentials stops startup here.
        ManagementExposure.of(camelContext.getPropertiesComponent()).requireCredentialsOffLoopback();
        Registry registry = camelContext.getRegistry();
        ObjectMapper json = new ObjectMapper();
        // REST consumers attach to the business port, whatever camel.server.port says (see BusinessPortHttpEngine).
        registry.bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, new BusinessPortHttpEngine(serverPort));

        ConnectionFactory brokerConnectionFactory = brokerConnectionFactory(camelContext);
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory(brokerConnectionFactory);
        // Consumers are long-lived in the listener containers; caching them here would strand prefetched jobs.
        connectionFactory.setCacheConsumers(false);
        connectionFactory.setSessionCacheSize(20);
        // Close the shared connection before the embedded broker stops (services stop in reverse order), or the
        // broker's shutdown disconnects it and Spring logs the disconnect with a stack trace on every SIGTERM.
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                connectionFactory.destroy();
            }
        }, true, false);
        registry.bind("jms", JmsComponent.jmsComponent(connectionFactory));

        EmbeddedBroker embeddedBroker = registry.findSingleByType(EmbeddedBroker.class);
        QueueHealth queueHealth = new QueueHealth(embeddedBroker, brokerConnectionFactory);
        QueueStats queueStats = new QueueStats(embeddedBroker, connectionFactory);
        GatewayMetrics metrics = new GatewayMetrics(queueStats, jobsQueue, deadLetterQueue);
        bindOperations(camelContext, queueHealth, queueStats, metrics, connectionFactory);

        JobQueue jobQueue = new JobQueue(connectionFactory, jobsQueue, json);
        registry.bind("jobQueue", jobQueue);
        registry.bind("queueHealth", queueHealth);
        // The SSRF guard: asked when a request is accepted and again for every address a webhook is connected to.
        // With the demo on, loopback on the business port is allowed too (the demo's own /demo/webhook sink).
        WebhookAddressPolicy webhookAddressPolicy = new WebhookAddressPolicy(webhookAllowedHosts, webhookAllowedSubnets,
                demoEnabled ? serverPort : -1);
        registry.bind("requestValidator", new RequestValidator(webhookAddressPolicy));
        Authentication authentication = new Authentication(callers());
        registry.bind("authentication", authentication);
        CallerBacklog callerBacklog = callerBacklog(camelContext, connectionFactory, json);
        Acceptance acceptance = new Acceptance(jobQueue, queueHealth, metrics, json, callerBacklog);
        registry.bind("acceptance", acceptance);
        registry.bind("jobSteps", new JobSteps(json, inferenceUrl, metrics));
        bindUploadsAndSpool(camelContext, authentication);

        registry.bind("webhookDelivery", new WebhookDelivery(new WebhookSigner(webhookSecret), metrics, webhookMaxAttempts,
                RetrySchedule.parse(webhookRetrySchedule, Duration.ofMillis(webhookMaxRetryAfterMs))));
        registry.bind("webhookHttpClient", new WebhookHttpClient(webhookAddressPolicy, Duration.ofMillis(webhookTimeoutMs),
                webhookMaxResponseBytes, webhookPerHostConcurrency, webhookConcurrency));

        registry.bind("examListing", new ExamListing(acceptance, new ResultPaths(resultPathTemplate)));

        registry.bind("demoImageFacts", new ImageFacts(json));
        registry.bind("demoWebhookSink", new DemoWebhookSink(Path.of(dataDir, "demo-webhook"), json));
    }

    /** The business API's callers; without keys everyone is "anonymous", which startup says loudly. */
    private ApiKeys callers() {
        ApiKeys keys = ApiKeys.of(apiKeys, apiKeysFile);
        if (keys.isEmpty()) {
            LOG.warn("*** NO API KEYS: the business API accepts ANY caller, all counted as '{}'. Name the callers and their "
                    + "keys in gateway.api-keys (caller-name:key,...) or gateway.api-keys-file before exposing the gateway. ***",
                    ApiKeys.ANONYMOUS);
        } else {
            LOG.info("Business API callers: {}", keys.callerNames());
        }
        return keys;
    }

    /**
     * Backlog limits. The callers' counts are recounted from the broker at startup (jobs queued before a restart) and,
     * with an external broker that other gateways share, every few seconds: their workers take this gateway's jobs too.
     */
    private CallerBacklog callerBacklog(CamelContext camelContext, ConnectionFactory connectionFactory, ObjectMapper json) {
        EmbeddedBroker embeddedBroker = camelContext.getRegistry().findSingleByType(EmbeddedBroker.class);
        CallerBacklog backlog = new CallerBacklog(new BrokerCounts(embeddedBroker, connectionFactory, jobsQueue, json),
                maxBacklog, maxBacklogPerCaller, maxImagesPerRequest);
        camelContext.getRegistry().bind("callerBacklog", backlog);
        ScheduledExecutorService recounts = camelContext.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "caller-backlog-recount");
        if (embeddedBroker == null) {
            recounts.scheduleWithFixedDelay(backlog::recount, 0, CallerBacklog.RECOUNT_SECONDS, TimeUnit.SECONDS);
        } else {
            recounts.execute(backlog::recount);
        }
        return backlog;
    }

    /** Health checks, metrics, JMX operations, shutdown behaviour and JSON bodies for the HTTP server's own errors. */
    private void bindOperations(CamelContext camelContext, QueueHealth queueHealth, QueueStats queueStats,
                                GatewayMetrics metrics, ConnectionFactory connectionFactory) throws Exception {
        Registry registry = camelContext.getRegistry();
        registry.bind("jobQueueHealthCheck", new JobQueueHealthCheck(queueHealth));
        registry.bind("inferenceServerHealthCheck", new InferenceServerHealthCheck(inferenceUrl));
        registry.bind("webhookBacklogHealthCheck",
                new WebhookBacklogHealthCheck(queueStats, deliveryQueue, deadLetterQueue, webhookBacklogThreshold));
        camelContext.addStartupListener(metrics);
        EventLoopHealthCheck eventLoopHealthCheck = new EventLoopHealthCheck(serverPort, eventLoopMaxDelayMs);
        registry.bind("eventLoopHealthCheck", eventLoopHealthCheck);
        camelContext.addStartupListener(eventLoopHealthCheck);
        camelContext.addStartupListener(new JsonHttpErrors(serverPort, queueHealth::isShuttingDown));
        new JolokiaGuard(managementAllowedOrigins).installOn(camelContext);
        DeadLetters deadLetters = new DeadLetters(connectionFactory, queueStats, deadLetterQueue, jobsQueue, deliveryQueue);
        registry.bind("deadLetters", deadLetters);
        camelContext.getManagementStrategy().addEventNotifier(new GatewayLifecycle(queueHealth, deadLetters));
    }

    /**
     * Where image bytes wait on disk, owner-only and emptied at startup: upload parts (the HTTP server streams them
     * to camel.server.fileUploadDirectory) and the images of the jobs the workers hold (spool); and the limit on
     * request bodies in flight (known callers' only, with API keys set), with the clean-up of part files, ahead of
     * the REST routes.
     */
    private void bindUploadsAndSpool(CamelContext camelContext, Authentication authentication) throws Exception {
        PrivateDirectory.prepare(Path.of(uploadDirectory));
        camelContext.getRegistry().bind("jobSpool", new JobSpool(PrivateDirectory.prepare(Path.of(dataDir, "spool"))));
        camelContext.addStartupListener(new UploadGuards(serverPort, authentication,
                new BytesInFlight(maxBytesInFlight, maxBodySize), maxBodySize));
    }

    /** The embedded broker's in-VM factory when no external broker is configured. */
    private ConnectionFactory brokerConnectionFactory(CamelContext camelContext) throws Exception {
        ActiveMQConnectionFactory factory;
        if (brokerUrl == null || brokerUrl.isBlank()) {
            // queued uploads are on disk there (large messages): owner-only, like the upload and spool directories
            PrivateDirectory.restrict(Path.of(dataDir, "broker"));
            EmbeddedBroker broker = new EmbeddedBroker(Path.of(dataDir), deadLetterQueue);
            broker.start();
            camelContext.addService(broker, true, false);
            camelContext.getRegistry().bind("embeddedBroker", broker);
            factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
        } else {
            LOG.info("Using the external broker at {}", brokerUrl);
            factory = new ActiveMQConnectionFactory(brokerUrl);
            if (!brokerUsername.isBlank()) {
                factory.setUser(brokerUsername);
                factory.setPassword(brokerPassword);
            }
        }
        // Jobs are slow (an inference call each): no prefetch, so every idle consumer can take the next one.
        factory.setConsumerWindowSize(0);
        return factory;
    }
}
