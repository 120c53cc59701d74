package org.octgateway.worker;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Predicate;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.ExpressionAdapter;
import org.octgateway.job.BeanSteps;
import org.octgateway.job.Job;
import org.octgateway.job.MessageNames;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.state.RequestStates;
import org.octgateway.storage.StorageHeaders;

import static org.octgateway.job.BeanSteps.run;
import static org.octgateway.job.BeanSteps.value;

/**
 * The core pipeline, one job at a time per consumer: take a job from the durable queue, run the
 * image through the inference server (routes/inference.yaml), then store (when asked) and announce the result.
 * {@code gateway.inference.concurrency} + {@code gateway.worker.jobs-ahead} consumers; at most
 * {@code gateway.inference.concurrency} inference calls at once (InferenceSlots).
 * The job travels as one value, the exchange property {@value MessageNames#JOB}; the body is the image, then the envelope.
 */
public class WorkerRoutes extends RouteBuilder {

    /** Exchange property: the spool file holding the job's image while the worker holds the job (JobSpool). */
    public static final String IMAGE = "image";
    /** Exchange property: the content type of the job's image, as detected (routes/inference.yaml sends it). */
    public static final String IMAGE_CONTENT_TYPE = "imageContentType";
    /** Exchange property: the inference server's answer (JSON). */
    public static final String RESULT = "result";
    /** Exchange property, set while the image is fetched from storage, so a failure there is reported as such. */
    public static final String FETCHING = "fetchingImage";
    /** Exchange property, set while the result is written to the output bucket, so a failure there is reported as such. */
    public static final String WRITING = "writingResult";
    /** Exchange property: when the inference call started (nanoTime), for gateway_inference_seconds. */
    static final String INFERENCE_STARTED = "inferenceStarted";
    /** Exchange property: whether the job runs ("run") or the state it ended in while queued (state/RequestStates). */
    static final String VERDICT = "jobVerdict";

    /** Route configurations in routes/errors.yaml. */
    static final String WORKER_ERRORS = "worker-errors";
    static final String PROPAGATE_ERRORS = "propagate-errors";

    @Override
    public void configure() {
        int slots = Integer.parseInt(getCamelContext().resolvePropertyPlaceholders("{{gateway.inference.concurrency}}"));
        int ahead = Integer.parseInt(getCamelContext().resolvePropertyPlaceholders("{{gateway.worker.jobs-ahead}}"));
        // mapJmsMessage=false: the body stays the JMS message, so a large upload's image is streamed from it to a spool
        // file (jobSpool) instead of being read into a byte[]; a small one's bytes, in memory anyway, are taken as they are.
        // One local JMS transaction on the listener's own session (lazyCreateTransactionManager=false): the job's
        // acknowledgement and its result's send to the delivery queue commit together. With Camel's default
        // transaction manager the send went to a second session committed after the job's: a crash between the two
        // commits lost the job (OneTransactionPerHandOverTest).
        // More consumers than inference slots (inferenceSlots limits the calls): the next jobs are prepared and the
        // last ones committed while the model works, instead of the slots waiting for that work.
        from("jms:queue:{{gateway.queue.jobs}}?transacted=true&lazyCreateTransactionManager=false"
                + "&cacheLevelName=CACHE_CONSUMER&mapJmsMessage=false&taskExecutor=#jobWorkerThreads"
                + "&concurrentConsumers=" + (slots + ahead)
                + "&maxConcurrentConsumers=" + (slots + ahead))
                .routeId("job-worker")
                .routeConfigurationId(WORKER_ERRORS)
                // however the job ends (completed, failed, rolled back to the queue), its spool file goes
                .onCompletion()
                    .process(run("jobSpool", JobSpool.class, (spool, exchange) -> spool.delete(exchange.getProperty(IMAGE))))
                .end()
                // the JMS message's body and properties, read into a plain Camel message (queue/JmsMessageRead)
                .process("jmsMessageRead")
                .setProperty(MessageNames.JOB, value("jobSteps", JobSteps.class,
                        (steps, exchange) -> steps.restore(exchange.getMessage().getHeader(MessageNames.JOB_PROPERTY, String.class))))
                // the job no longer waits: its caller's backlog shrinks
                .process(run("callerBacklog", CallerBacklog.class, (backlog, exchange) -> backlog.taken(
                        exchange.getMessage().getHeader("JMSRedelivered", Boolean.class),
                        exchange.getMessage().getHeader(MessageNames.CALLER_PROPERTY, String.class))))
                // the queued message's properties are read; dropped now, they are not copied by every later bean step
                .removeHeaders("*")
                // an upload's image is ready before its turn comes
                .filter(jobIs(Job::isUpload))
                    .to("direct:hold-image")
                .end()
                // a worker holds the job: its record says running now; a job cancelled or expired while queued is
                // announced so, unrun. Recorded before the job waits for its slot, so the slot does not wait for the
                // commit: a slot holder writing its own 'running' kept the model idle ~4 ms per call, 86 % of a
                // 50 ms × 16 model's capacity against 94 % (bench/results/2026-11-28-1412-side-by-side.md)
                .setProperty(VERDICT, value("requestStates", RequestStates.class, (states, exchange) -> states.start(jobOf(exchange))))
                .filter(simple("${exchangeProperty." + VERDICT + "} != 'run'"))
                    .setBody(value("jobSteps", JobSteps.class,
                            (steps, exchange) -> steps.skippedEnvelope(jobOf(exchange), exchange.getProperty(VERDICT, String.class))))
                    .to("direct:announce-result")
                    .stop()
                .end()
                // the job's turn at the inference server: it waits here for a slot
                .process(run("inferenceSlots", InferenceSlots.class, InferenceSlots::take))
                // content enricher: a bucket job's bytes come from its provider now, not at acceptance
                .filter(jobIs(job -> !job.isUpload()))
                    .setProperty(FETCHING, constant(true))
                    .enrich("direct:fetch-image")
                    .removeProperty(FETCHING)
                    .to("direct:hold-image")
                .end()
                .setBody(exchangeProperty(IMAGE))
                .setProperty(INFERENCE_STARTED, nanoTime())
                // what routes/inference.yaml puts in the request's headers, as plain values (variables): reading them
                // from the job there (${exchangeProperty.job.requestUuid}) was a reflective OGNL call and two
                // exchange copies per header per job
                .setVariable("requestUuid", job(Job::requestUuid))
                .setVariable("examinationId", job(Job::examinationId))
                .setVariable("inferenceParameters", job(Job::inferenceParameters))
                // the request, its headers and its retry policy: routes/inference.yaml. A job that fails for good
                // there has been announced as an error and ends.
                .to("direct:call-inference")
                .process(run("inferenceSlots", InferenceSlots.class,
                        (inferenceSlots, exchange) -> inferenceSlots.release(exchange.getProperty(InferenceSlots.SLOT, AtomicBoolean.class))))
                .setProperty(RESULT, value("jobSteps", JobSteps.class, (steps, exchange) -> steps.inferenceResult(
                        exchange.getMessage().getBody(String.class), exchange.getProperty(INFERENCE_STARTED, Long.class))))
                .setBody(value("jobSteps", JobSteps.class,
                        (steps, exchange) -> steps.completedEnvelope(jobOf(exchange), exchange.getProperty(RESULT, String.class))))
                .to("direct:publish-result");

        // The image waits while the job is held (retries included): on disk, or as the bytes its message held anyway.
        from("direct:hold-image").routeId("hold-image")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .setProperty(IMAGE, value("jobSpool", JobSpool.class,
                        (spool, exchange) -> spool.spool(exchange.getMessage().getBody(), exchange.getContext().getTypeConverter())))
                .setProperty(IMAGE_CONTENT_TYPE, value("jobSteps", JobSteps.class,
                        (steps, exchange) -> steps.imageContentType(exchange.getProperty(IMAGE))));

        // The job's provider (routes/storage-*.yaml) answers the image bytes for the job's bucket and object name.
        from("direct:fetch-image").routeId("fetch-image")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .removeHeaders("*")
                .setBody(constant(null))
                .setHeader(StorageHeaders.BUCKET, simple("${exchangeProperty.job.bucket}"))
                .setHeader(StorageHeaders.OBJECT_NAME, simple("${exchangeProperty.job.objectName}"))
                .toD("direct:storage-${exchangeProperty.job.source}-fetch");

        // The result is written before the webhook announces it: store, then announce, in that order (a failed
        // write stops here, so a webhook never announces a result_path that was not written).
        from("direct:publish-result").routeId("publish-result")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .to("direct:store-result")
                .process(run("requestStates", RequestStates.class, (states, exchange) -> states.completed(jobOf(exchange))))
                .to("direct:announce-result");

        // Only when the caller asked for it: the provider's write route (routes/storage-*.yaml) stores the
        // envelope; the envelope stays the body for the announcement.
        from("direct:store-result").routeId("store-result")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .filter(jobIs(Job::writesResult))
                    .setProperty(WRITING, constant(true))
                    .enrich("direct:write-result", AggregationStrategies.useOriginal())
                    .removeProperty(WRITING)
                .end();

        from("direct:write-result").routeId("write-result")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .removeHeaders("*")
                .setHeader(StorageHeaders.BUCKET, simple("${exchangeProperty.job.outputBucket}"))
                .setHeader(StorageHeaders.OBJECT_NAME, simple("${exchangeProperty.job.resultPath}"))
                .log(LoggingLevel.INFO, JobSteps.class.getName(), "Writing the result to ${exchangeProperty.job.source} bucket"
                        + " '${exchangeProperty.job.outputBucket}' at ${exchangeProperty.job.resultPath}")
                .toD("direct:storage-${exchangeProperty.job.source}-write");

        from("direct:job-failed").routeId("job-failed")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .setProperty(MessageNames.FAILURE_REASON, method("jobSteps", "failureReason"))
                .bean("requestStates", "failed")
                .setBody(method("jobSteps", "errorEnvelope"))
                .to("direct:announce-result");

        // Hand the envelope (the body) to the delivery queue with its delivery (routes/delivery.yaml takes it to the
        // webhook); none of the job's other headers go along.
        from("direct:announce-result").routeId("announce-result")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .removeHeaders("*")
                .setHeader(MessageNames.DELIVERY_PROPERTY, value("jobSteps", JobSteps.class, (steps, exchange) -> steps.delivery(jobOf(exchange))))
                .to("jms:queue:{{gateway.queue.deliveries}}");
    }

    /** A value of the job (exchange property {@value MessageNames#JOB}), read by a plain method call, not by reflection. */
    private static Expression job(Function<Job, Object> value) {
        return BeanSteps.ofProperty(MessageNames.JOB, Job.class, value);
    }

    /** The job (exchange property {@value MessageNames#JOB}). */
    private static Job jobOf(Exchange exchange) {
        return exchange.getProperty(MessageNames.JOB, Job.class);
    }

    /** Whether the job (exchange property {@value MessageNames#JOB}) is so, by a plain method call. */
    private static Predicate jobIs(java.util.function.Predicate<Job> test) {
        return exchange -> test.test(jobOf(exchange));
    }

    /** Now, on the clock the inference call is measured with (JobSteps.inferenceResult). */
    private static Expression nanoTime() {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return System.nanoTime();
            }
        };
    }
}
