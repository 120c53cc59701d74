package org.octgateway.worker;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.octgateway.job.Delivery;
import org.octgateway.job.Job;
import org.octgateway.job.JobLogContext;
import org.octgateway.job.MessageNames;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.storage.StorageFailures;
import org.octgateway.validation.ImageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's steps on one job, as values in and values out (worker/WorkerRoutes wires them): read the job from
 * its queued message, judge the image, read the inference answer, and build the result envelope (completed or
 * error) and its delivery. The routes do all message shaping.
 */
public class JobSteps {

    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);

    private final ObjectMapper json;
    private final GatewayMetrics metrics;

    public JobSteps(ObjectMapper json, GatewayMetrics metrics) {
        this.json = json;
        this.metrics = metrics;
    }

    /** The job the queued message carries (its JSON property); log lines of the job are tagged with it from here on. */
    public Job restore(@Header(MessageNames.JOB_PROPERTY) String queued) throws JsonProcessingException {
        Job job = json.readValue(queued, Job.class);
        JobLogContext.tag(job.requestUuid(), job.examinationId());
        return job;
    }

    /**
     * The content type the inference server is told, judged by the image's bytes (held as bytes or a spool file, see
     * JobSpool); a job without an image fails.
     */
    public String imageContentType(@ExchangeProperty(WorkerRoutes.IMAGE) Object image) throws IOException {
        long length = image instanceof byte[] bytes ? bytes.length : image instanceof File file ? file.length() : 0;
        if (length == 0) {
            throw new JobFailure("the image is empty");
        }
        ImageType type = (image instanceof byte[] bytes ? ImageType.detect(bytes) : ImageType.detect(((File) image).toPath()))
                .orElseThrow(() -> new JobFailure("the object is not a PNG, JPEG, TIFF, BMP or DICOM image"));
        // per job at DEBUG: "Job completed" (or "Job failed") is each job's INFO line
        LOG.debug("Inference started: {} bytes of {}", length, type.contentType());
        return type.contentType();
    }

    /**
     * The inference server's JSON answer, the job's result, as JSON text; the call took since {@code startedNanos},
     * retries included. An answer that is one JSON value is taken as it came, checked by a streaming pass: parsing it
     * into a tree and writing that again (every number converted twice) was the worker's largest JSON cost. Anything
     * else is judged as before, by the tree it reads as.
     */
    public String inferenceResult(@Body String answer, @ExchangeProperty(WorkerRoutes.INFERENCE_STARTED) long startedNanos) {
        metrics.inferenceCall(Duration.ofNanos(System.nanoTime() - startedNanos));
        if (answer != null && isOneJsonValue(answer)) {
            return answer.strip();
        }
        JsonNode result;
        try {
            result = json.readTree(answer == null ? "" : answer);
        } catch (JsonProcessingException e) {
            result = null;
        }
        if (result == null || result.isMissingNode()) {
            throw new JobFailure("the inference server answered with a body that is not JSON");
        }
        return result.toString();
    }

    private boolean isOneJsonValue(String text) {
        try (JsonParser parser = json.getFactory().createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The completed envelope, as JSON text: what is stored at result_path and announced. */
    public String completedEnvelope(@ExchangeProperty(MessageNames.JOB) Job job,
            @ExchangeProperty(WorkerRoutes.RESULT) String result) throws JsonProcessingException {
        metrics.jobCompleted(job.endpoint(), ResultEnvelope.COMPLETED);
        LOG.info("Job completed");
        return json.writeValueAsString(ResultEnvelope.completed(job, result, Instant.now()));
    }

    /**
     * The error envelope, as JSON text, for a job that failed for good; nothing was written, so result_path is null.
     *
     * @param fetching the failure happened while the image was fetched from storage
     * @param writing  the failure happened while the result was written to the output bucket
     */
    public String failureReason(@ExchangeProperty(MessageNames.JOB) Job job,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
            @ExchangeProperty(WorkerRoutes.FETCHING) Boolean fetching,
            @ExchangeProperty(WorkerRoutes.WRITING) Boolean writing) {
        String reason;
        if (Boolean.TRUE.equals(fetching)) {
            reason = "the image '" + job.objectName() + "' could not be read from " + job.source() + " bucket '"
                    + job.bucket() + "' (it may have been moved or deleted)";
        } else if (Boolean.TRUE.equals(writing)) {
            reason = "the result could not be written to " + job.source() + " bucket '" + job.outputBucket()
                    + "' at " + job.resultPath() + " (" + StorageFailures.describe(cause) + ")";
        } else {
            reason = describe(cause);
        }
        if (cause != null) {
            LOG.debug("Job failure cause", cause);
        }
        metrics.jobCompleted(job.endpoint(), ResultEnvelope.ERROR);
        LOG.warn("Job failed: {}", reason);
        return reason;
    }

    /** The envelope of a job that failed for good, naming the reason. */
    public String errorEnvelope(@ExchangeProperty(MessageNames.JOB) Job job,
            @ExchangeProperty(MessageNames.FAILURE_REASON) String reason) throws JsonProcessingException {
        return json.writeValueAsString(ResultEnvelope.failed(job, reason, Instant.now()));
    }

    /** The envelope of a job that ended while queued ({@code verdict}: cancelled or expired): never sent to the model. */
    public String skippedEnvelope(@ExchangeProperty(MessageNames.JOB) Job job,
            @ExchangeProperty(WorkerRoutes.VERDICT) String verdict) throws JsonProcessingException {
        String reason = ResultEnvelope.CANCELLED.equals(verdict) ? "the request was cancelled before it started"
                : "the request was still queued at its deadline (Request-TTL-Seconds or gateway.request.ttl-seconds)";
        metrics.jobCompleted(job.endpoint(), verdict);
        LOG.info("Job {}: not sent to the model", verdict);
        return json.writeValueAsString(ResultEnvelope.skipped(job, verdict, reason, Instant.now()));
    }

    /** The first delivery of the job's envelope, as the delivery queue carries it (delivery/WebhookDelivery). */
    public String delivery(@ExchangeProperty(MessageNames.JOB) Job job) {
        return Delivery.firstAttemptOf(job).json();
    }

    /** Plain words for the caller; never a stack trace. */
    static String describe(Throwable cause) {
        if (cause instanceof HttpOperationFailedException http) {
            String answer = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
            if (answer.length() > 500) {
                answer = answer.substring(0, 500) + "…";
            }
            return "the inference server answered HTTP " + http.getStatusCode()
                    + (answer.isEmpty() ? "" : ": " + answer);
        }
        if (cause instanceof JobFailure) {
            return cause.getMessage();
        }
        if (cause instanceof ConnectException) {
            return "the inference server could not be reached";
        }
        if (cause instanceof SocketTimeoutException) {
            return "the inference server did not answer in time";
        }
        if (cause instanceof java.io.IOException) {
            return "the inference server connection failed: " + cause.getClass().getSimpleName();
        }
        return "the job could not be processed: " + (cause == null ? "unknown error" : cause.getClass().getSimpleName());
    }
}
