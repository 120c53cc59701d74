package org.octgateway.operations;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.octgateway.queue.QueueHealth;
import org.octgateway.queue.BrokerCounts;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * What operators see and use on the management port: health checks, the dead-letter operations (JMX), the
 * Jolokia guard, and the shutdown behaviour; and the refusal to start with a management port open to the network
 * without credentials.
 */
public class OperationsConfiguration implements CamelConfiguration {

    /** Checked while the beans are bound, before any service or port starts. */
    @BindToRegistry
    public ManagementExposure managementExposure(CamelContext context) {
        ManagementExposure exposure = ManagementExposure.of(context.getPropertiesComponent());
        exposure.requireCredentialsOffLoopback();
        return exposure;
    }

    @BindToRegistry(lazy = true)
    public JobQueueHealthCheck jobQueueHealthCheck(QueueHealth queueHealth) {
        return new JobQueueHealthCheck(queueHealth);
    }

    @BindToRegistry
    public InferenceServerHealthCheck inferenceServerHealthCheck(@PropertyInject("gateway.inference.url") String url) {
        return new InferenceServerHealthCheck(url);
    }

    @BindToRegistry(lazy = true)
    public WebhookBacklogHealthCheck webhookBacklogHealthCheck(BrokerCounts brokerCounts,
            @PropertyInject("gateway.queue.deliveries") String deliveryQueue,
            @PropertyInject("gateway.queue.dead-letters") String deadLetterQueue,
            @PropertyInject("gateway.health.webhook-backlog-threshold") long threshold) {
        return new WebhookBacklogHealthCheck(brokerCounts, deliveryQueue, deadLetterQueue, threshold);
    }

    @BindToRegistry
    public EventLoopHealthCheck eventLoopHealthCheck(@PropertyInject("camel.server.port") int businessPort,
            @PropertyInject("gateway.health.event-loop-max-delay-ms") long maxDelayMs) {
        return new EventLoopHealthCheck(businessPort, maxDelayMs);
    }

    @BindToRegistry(lazy = true)
    public DeadLetters deadLetters(CachingConnectionFactory jmsConnectionFactory, BrokerCounts brokerCounts,
            @PropertyInject("gateway.queue.dead-letters") String deadLetterQueue,
            @PropertyInject("gateway.queue.jobs") String jobsQueue,
            @PropertyInject("gateway.queue.deliveries") String deliveryQueue) {
        return new DeadLetters(jmsConnectionFactory, brokerCounts, deadLetterQueue, jobsQueue, deliveryQueue);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(context.getRegistry().findSingleByType(EventLoopHealthCheck.class));
        String allowedOrigins = context.resolvePropertyPlaceholders("{{gateway.management.allowed-origins}}");
        new JolokiaGuard(allowedOrigins).installOn(context);
        context.getManagementStrategy().addEventNotifier(new GatewayLifecycle(
                context.getRegistry().findSingleByType(QueueHealth.class),
                context.getRegistry().findSingleByType(DeadLetters.class)));
    }
}
