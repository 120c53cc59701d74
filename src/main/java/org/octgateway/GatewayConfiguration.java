package org.octgateway;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.Registry;
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
    @PropertyInject("gateway.queue.dead-letters")
    String deadLetterQueue;
    @PropertyInject("gateway.inference.url")
    String inferenceUrl;
    @PropertyInject(value = "gateway.webhook.secret", defaultValue = "")
    String webhookSecret;
    @PropertyInject(value = "camel.server.port", defaultValue = "8080")
    int serverPort;

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
        registry.bind("jms", JmsComponent.jmsComponent(connectionFactory));

        JobQueue jobQueue = new JobQueue(connectionFactory, jobsQueue, json);
        registry.bind("jobQueue", jobQueue);
        registry.bind("queueHealth", new QueueHealth(brokerConnectionFactory));
        registry.bind("requestValidator", new RequestValidator());
        registry.bind("acceptance", new Acceptance(jobQueue, json));
        registry.bind("jobSteps", new JobSteps(json, inferenceUrl));

        WebhookDelivery webhookDelivery = new WebhookDelivery(new WebhookSigner(webhookSecret));
        registry.bind("webhookDelivery", webhookDelivery);
        registry.bind("webhookResigner", (Processor) webhookDelivery::prepare);

        registry.bind("demoImageFacts", new ImageFacts(json));
        registry.bind("demoWebhookSink", new DemoWebhookSink(Path.of(dataDir, "demo-webhook"), json));
    }

    /** The embedded broker's in-VM factory when no external broker is configured. */
    private ConnectionFactory brokerConnectionFactory(CamelContext camelContext) throws Exception {
        ActiveMQConnectionFactory factory;
        if (brokerUrl == null || brokerUrl.isBlank()) {
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
