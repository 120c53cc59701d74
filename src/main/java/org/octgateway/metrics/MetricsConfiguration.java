package org.octgateway.metrics;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.octgateway.queue.BrokerCounts;

/** The gateway's own metrics, which the accepting side, the workers and delivery count into. */
public class MetricsConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public GatewayMetrics gatewayMetrics(BrokerCounts brokerCounts,
                                         @PropertyInject("gateway.queue.jobs") String jobsQueue,
                                         @PropertyInject("gateway.queue.dead-letters") String deadLetterQueue,
                                         @PropertyInject("gateway.broker.url") String brokerUrl) {
        return new GatewayMetrics(brokerCounts, jobsQueue, deadLetterQueue, BrokerCounts.brokerName(brokerUrl));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // the meters join Camel's Micrometer registry (served at /observe/metrics) once Camel has started
        context.addStartupListener(context.getRegistry().findSingleByType(GatewayMetrics.class));
    }
}
