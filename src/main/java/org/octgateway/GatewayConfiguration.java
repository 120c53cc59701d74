package org.octgateway;

import java.nio.file.Path;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Storage;
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
import org.octgateway.api.BusinessPortHttpEngine;
import org.octgateway.delivery.WebhookDelivery;
import org.octgateway.delivery.WebhookSigner;
import org.octgateway.demo.DemoWebhookSink;
import org.octgateway.demo.ImageFacts;
import org.octgateway.queue.EmbeddedBroker;
import org.octgateway.queue.JobQueue;
import org.octgateway.queue.QueueHealth;
import org.octgateway.api.JsonHttpErrors;
import org.octgateway.operations.DeadLetters;
import org.octgateway.operations.GatewayLifecycle;
import org.octgateway.operations.GatewayMetrics;
import org.octgateway.operations.InferenceServerHealthCheck;
import org.octgateway.operations.JobQueueHealthCheck;
import org.octgateway.operations.QueueStats;
import org.octgateway.operations.WebhookBacklogHealthCheck;
import org.octgateway.storage.AzureBlobHeaders;
import org.octgateway.storage.BucketEndpoint;
import org.octgateway.storage.BucketRequests;
import org.octgateway.storage.CloudClients;
import org.octgateway.storage.ExamListing;
import org.octgateway.storage.LocalBuckets;
import org.octgateway.storage.ObjectNames;
import org.octgateway.storage.ResultPaths;
import org.octgateway.storage.StorageProviders;
import org.octgateway.validation.AllowList;
import org.octgateway.validation.RequestValidator;
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
    @PropertyInject("gateway.webhook.retry-delay-ms")
    long webhookRetryDelayMs;
    @PropertyInject("gateway.webhook.max-retry-delay-ms")
    long webhookMaxRetryDelayMs;
    @PropertyInject(value = "gateway.webhook.secret", defaultValue = "")
    String webhookSecret;
    @PropertyInject(value = "gateway.webhook.allowed-hosts", defaultValue = "")
    String webhookAllowedHosts;
    @PropertyInject(value = "gateway.gcs.allowed-buckets", defaultValue = "")
    String gcsAllowedBuckets;
    @PropertyInject(value = "gateway.azure.allowed-containers", defaultValue = "")
    String azureAllowedContainers;
    @PropertyInject("gateway.result-path-template")
    String resultPathTemplate;
    @PropertyInject("gateway.local.root")
    String localRoot;
    @PropertyInject("gateway.gcs.backend")
    String gcsBackend;
    @PropertyInject(value = "gateway.gcs.credentials", defaultValue = "")
    String gcsCredentials;
    @PropertyInject(value = "gateway.gcs.host", defaultValue = "")
    String gcsHost;
    @PropertyInject(value = "gateway.gcs.project-id", defaultValue = "")
    String gcsProjectId;
    @PropertyInject("gateway.gcs.input-bucket")
    String gcsInputBucket;
    @PropertyInject("gateway.gcs.output-bucket")
    String gcsOutputBucket;
    @PropertyInject("gateway.azure.backend")
    String azureBackend;
    @PropertyInject(value = "gateway.azure.connection-string", defaultValue = "")
    String azureConnectionString;
    @PropertyInject(value = "gateway.azure.service-version", defaultValue = "")
    String azureServiceVersion;
    @PropertyInject("gateway.azure.input-container")
    String azureInputContainer;
    @PropertyInject("gateway.azure.output-container")
    String azureOutputContainer;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
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
        registry.bind("requestValidator", new RequestValidator(new AllowList(webhookAllowedHosts)));
        Acceptance acceptance = new Acceptance(jobQueue, queueHealth, metrics, json);
        registry.bind("acceptance", acceptance);
        registry.bind("jobSteps", new JobSteps(json, inferenceUrl, metrics));

        registry.bind("webhookDelivery", new WebhookDelivery(new WebhookSigner(webhookSecret), metrics, webhookMaxAttempts));

        bindStorage(registry, acceptance);

        registry.bind("demoImageFacts", new ImageFacts(json));
        registry.bind("demoWebhookSink", new DemoWebhookSink(Path.of(dataDir, "demo-webhook"), json));
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
        camelContext.addStartupListener(new JsonHttpErrors(serverPort, queueHealth::isShuttingDown));
        DeadLetters deadLetters = new DeadLetters(connectionFactory, queueStats, deadLetterQueue, jobsQueue, deliveryQueue);
        registry.bind("deadLetters", deadLetters);
        camelContext.getManagementStrategy().addEventNotifier(new GatewayLifecycle(queueHealth, deadLetters));
    }

    /**
     * The bucket endpoints and their providers. Cloud clients are bound for the storage components to
     * autowire; a provider that cannot be built is marked unavailable (its endpoints answer 503).
     */
    private void bindStorage(Registry registry, Acceptance acceptance) {
        registry.bind("gcsEndpoint", new BucketEndpoint("bucket_invocations", gcsBackend, gcsInputBucket, gcsOutputBucket,
                new AllowList(gcsAllowedBuckets)));
        registry.bind("azureEndpoint", new BucketEndpoint("bucket_invocations_azure_uae", azureBackend,
                azureInputContainer, azureOutputContainer, new AllowList(azureAllowedContainers)));
        registry.bind("bucketRequests", new BucketRequests());
        registry.bind("examListing", new ExamListing(acceptance, new ResultPaths(resultPathTemplate)));
        registry.bind("objectNames", new ObjectNames());
        registry.bind("azureBlobHeaders", new AzureBlobHeaders());
        registry.bind("localBuckets", new LocalBuckets(Path.of(localRoot)));

        StorageProviders providers = new StorageProviders();
        registry.bind("storageProviders", providers);
        // Tests and embedders may bind their own clients first (e.g. an in-process fake). A provider no endpoint
        // uses gets a client that is never called, so its component never goes looking for credentials.
        if (registry.findSingleByType(Storage.class) == null) {
            Storage storage = CloudClients.unusedGoogleStorage();
            if ("gcs".equals(gcsBackend)) {
                try {
                    storage = CloudClients.googleStorage(gcsCredentials, gcsHost, gcsProjectId);
                } catch (CloudClients.MissingCredentials e) {
                    providers.markUnavailable("gcs", e.getMessage());
                }
            }
            registry.bind("googleStorage", storage);
        }
        if (registry.findSingleByType(BlobServiceClient.class) == null) {
            BlobServiceClient blobService = CloudClients.unusedAzureBlobService();
            if ("azure".equals(azureBackend)) {
                try {
                    blobService = CloudClients.azureBlobService(azureConnectionString, azureServiceVersion);
                } catch (CloudClients.MissingCredentials e) {
                    providers.markUnavailable("azure", e.getMessage());
                }
            }
            registry.bind("azureBlobService", blobService);
        }
    }

    /** The embedded broker's in-VM factory when no external broker is configured. */
    private ConnectionFactory brokerConnectionFactory(CamelContext camelContext) throws Exception {
        ActiveMQConnectionFactory factory;
        if (brokerUrl == null || brokerUrl.isBlank()) {
            EmbeddedBroker broker = new EmbeddedBroker(Path.of(dataDir), deadLetterQueue, deliveryQueue,
                    new EmbeddedBroker.Redelivery(webhookMaxAttempts, webhookRetryDelayMs, webhookMaxRetryDelayMs));
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
