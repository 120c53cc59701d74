package org.octgateway.metrics;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.octgateway.queue.QueueStats;

/** The gateway's own metrics, which the accepting side, the workers and delivery count into. */
public class MetricsConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public GatewayMetrics gatewayMetrics(QueueStats queueStats,
                                         @PropertyInject("gateway.queue.jobs") String jobsQueue,
                                         @PropertyInject("gateway.queue.dead-letters") String deadLetterQueue) {
        return new GatewayMetrics(queueStats, jobsQueue, deadLetterQueue);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // the meters join Camel's Micrometer registry (served at /observe/metrics) once Camel has started
        context.addStartupListener(context.getRegistry().findSingleByType(GatewayMetrics.class));
    }
}
