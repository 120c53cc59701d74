package org.octgateway.worker;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.octgateway.PrivateDirectory;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.queue.ConsumerThreads;

/** The job pipeline's beans: its steps, the inference slots, and the spool where a held job's image waits on disk. */
public class WorkerConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public JobSteps jobSteps(GatewayMetrics metrics) {
        return new JobSteps(new ObjectMapper(), metrics);
    }

    /** At most gateway.inference.concurrency inference calls at once, among more job consumers than that. */
    @BindToRegistry
    public InferenceSlots inferenceSlots(@PropertyInject("gateway.inference.concurrency") int concurrency) {
        return new InferenceSlots(concurrency);
    }

    /** The job-worker route's consumer threads, below the HTTP threads' priority (queue/ConsumerThreads). */
    @BindToRegistry(lazy = true)
    public ConsumerThreads jobWorkerThreads(@PropertyInject("gateway.queue.consumer-nice") int nice) {
        return new ConsumerThreads("job-worker", nice);
    }

    /** Owner-only and emptied at startup: what a crash left behind goes. */
    @BindToRegistry
    public JobSpool jobSpool(@PropertyInject("gateway.data-dir") String dataDir) {
        return new JobSpool(PrivateDirectory.prepare(Path.of(dataDir, "spool")));
    }
}
