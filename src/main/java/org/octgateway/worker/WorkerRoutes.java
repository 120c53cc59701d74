package org.octgateway.worker;

import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;

/**
 * The core pipeline, one job at a time per consumer: take a job from the durable queue, run the
 * image through the inference server, then store (when asked) and announce the result.
 * At most {@code gateway.inference.concurrency} consumers, so at most that many inference calls at once.
 */
public class WorkerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // mapJmsMessage=false: the body stays the JMS message, so an upload's image is streamed from it to a spool
        // file (jobSpool) instead of being read into a byte[].
        from("jms:queue:{{gateway.queue.jobs}}?transacted=true&cacheLevelName=CACHE_CONSUMER&mapJmsMessage=false"
                + "&concurrentConsumers={{gateway.inference.concurrency}}"
                + "&maxConcurrentConsumers={{gateway.inference.concurrency}}")
                .routeId("job-worker")
                .routeConfigurationId(WorkerErrorHandling.WORKER_ERRORS)
                .bean("jobSteps", "restore")
                .bean("callerBacklog", "taken") // the job no longer waits: its caller's backlog shrinks
                // content enricher: a bucket job's bytes come from its provider now, not at acceptance
                .filter(method("jobSteps", "needsImage"))
                    .bean("jobSteps", "fetchRequest")
                    .enrich("direct:fetch-image")
                .end()
                // the image waits on disk while the job is held (retries included), not on the heap
                .bean("jobSpool", "spool")
                .bean("jobSteps", "prepareInferenceRequest")
                .to("http:inference-server?connectTimeout={{gateway.inference.timeout-ms}}"
                        + "&responseTimeout={{gateway.inference.timeout-ms}}&soTimeout={{gateway.inference.timeout-ms}}")
                .bean("jobSteps", "readInferenceResult")
                .bean("jobSteps", "completedEnvelope")
                .to("direct:publish-result");

        // The job's provider (routes/storage-*.yaml) answers the image bytes.
        from("direct:fetch-image").routeId("fetch-image")
                .routeConfigurationId(WorkerErrorHandling.PROPAGATE_ERRORS)
                .toD("direct:storage-${exchangeProperty.gatewayJob.source}-fetch");

        // The result is written before the webhook announces it: store, then announce, in that order (a failed
        // write stops here, so a webhook never announces a result_path that was not written).
        from("direct:publish-result").routeId("publish-result")
                .routeConfigurationId(WorkerErrorHandling.PROPAGATE_ERRORS)
                .to("direct:store-result")
                .to("direct:announce-result");

        // Only when the caller asked for it: the provider's write route (routes/storage-*.yaml) stores the
        // envelope; the envelope and its delivery headers stay as they were for the announcement.
        from("direct:store-result").routeId("store-result")
                .routeConfigurationId(WorkerErrorHandling.PROPAGATE_ERRORS)
                .filter(method("jobSteps", "writesResult"))
                    .enrich("direct:write-result", AggregationStrategies.useOriginal())
                    .removeProperty(JobSteps.WRITING)
                .end();

        from("direct:write-result").routeId("write-result")
                .routeConfigurationId(WorkerErrorHandling.PROPAGATE_ERRORS)
                .bean("jobSteps", "writeRequest")
                .toD("direct:storage-${exchangeProperty.gatewayJob.source}-write");

        from("direct:job-failed").routeId("job-failed")
                .routeConfigurationId(WorkerErrorHandling.PROPAGATE_ERRORS)
                .bean("jobSteps", "errorEnvelope")
                .to("direct:announce-result");

        // Hand the envelope to the delivery queue (routes/delivery.yaml takes it to the webhook).
        from("direct:announce-result").routeId("announce-result")
                .routeConfigurationId(WorkerErrorHandling.PROPAGATE_ERRORS)
                .to("jms:queue:{{gateway.queue.deliveries}}");
    }
}
