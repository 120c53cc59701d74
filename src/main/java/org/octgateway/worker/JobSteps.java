package org.octgateway.worker;

import org.octgateway.job.MessageNames;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.job.Job;
import org.octgateway.job.JobLogContext;
import org.octgateway.storage.StorageFailures;
import org.octgateway.storage.StorageHeaders;
import org.octgateway.validation.ImageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's steps on one job: restore it from the queued message, shape the inference request,
 * read the answer, and build the result envelope (completed or error).
 */
public class JobSteps {

    public static final String JOB = "gatewayJob";
    public static final String RESULT = "gatewayResult";
    /** Set while the image is being fetched from storage, so a failure there is reported as such. */
    public static final String FETCHING = "gatewayFetchingImage";
    /** Set while the result is being written to the output bucket, so a failure there is reported as such. */
    public static final String WRITING = "gatewayWritingResult";

    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);

    /** When the inference call started (nanoTime), for gateway_inference_seconds. */
    private static final String INFERENCE_STARTED = "gatewayInferenceStarted";

    private final ObjectMapper json;
    private final String inferenceUrl;
    private final GatewayMetrics metrics;

    public JobSteps(ObjectMapper json, String inferenceUrl, GatewayMetrics metrics) {
        this.json = json;
        this.inferenceUrl = inferenceUrl;
        this.metrics = metrics;
    }

    /** Reads the job from the queued message; the body stays the message, whose body is an upload's image. */
    public void restore(Exchange exchange) throws JsonProcessingException {
        Job job = json.readValue(exchange.getMessage().getHeader(MessageNames.JOB_PROPERTY, String.class), Job.class);
        exchange.setProperty(JOB, job);
        JobLogContext.tag(job.requestUuid(), job.examinationId());
    }

    /**
     * Sends the image (the spool file, see JobSpool: camel-http streams a File body, and re-sends it on every retry)
     * with only the headers the inference server is meant to see.
     */
    public void prepareInferenceRequest(Exchange exchange) throws IOException {
        exchange.removeProperty(FETCHING);
        Job job = exchange.getProperty(JOB, Job.class);
        Message message = exchange.getMessage();
        File image = message.getBody(File.class);
        if (image == null || image.length() == 0) {
            throw new JobFailure("the image is empty");
        }
        ImageType type = ImageType.detect(image.toPath())
                .orElseThrow(() -> new JobFailure("the object is not a PNG, JPEG, TIFF, BMP or DICOM image"));
        message.getHeaders().clear();
        message.setBody(image);
        message.setHeader(Exchange.HTTP_URI, inferenceUrl);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, type.contentType());
        message.setHeader("Inference-Parameters", job.inferenceParameters());
        message.setHeader("X-Request-ID", job.requestUuid());
        if (job.examinationId() != null) {
            message.setHeader("Examination-ID", job.examinationId());
        }
        LOG.info("Inference started: {} bytes of {}", image.length(), type.contentType());
        exchange.setProperty(INFERENCE_STARTED, System.nanoTime());
    }

    /** Reads the inference server's JSON answer as the job's result. */
    public void readInferenceResult(Exchange exchange) {
        Long started = exchange.getProperty(INFERENCE_STARTED, Long.class);
        if (started != null) {
            metrics.inferenceCall(java.time.Duration.ofNanos(System.nanoTime() - started));
        }
        String body = exchange.getMessage().getBody(String.class);
        JsonNode result;
        try {
            result = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            result = null;
        }
        if (result == null || result.isMissingNode()) {
            throw new JobFailure("the inference server answered with a body that is not JSON");
        }
        exchange.setProperty(RESULT, result);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(null);
    }

    /** The completed envelope, as the body, ready to be stored and announced. */
    public void completedEnvelope(Exchange exchange) throws JsonProcessingException {
        Job job = exchange.getProperty(JOB, Job.class);
        JsonNode result = exchange.getProperty(RESULT, JsonNode.class);
        setEnvelope(exchange, job, new ResultEnvelope(ResultEnvelope.TYPE, job.requestUuid(), job.examinationId(),
                job.filename(), ResultEnvelope.COMPLETED, job.resultPath(), result, null, Instant.now().toString()));
        exchange.setProperty(WRITING, job.writesResult());
        metrics.jobCompleted(job.endpoint(), ResultEnvelope.COMPLETED);
        LOG.info("Job completed");
    }

    /** The error envelope for a job that failed for good; nothing was written, so result_path is null. */
    public void errorEnvelope(Exchange exchange) throws JsonProcessingException {
        Job job = exchange.getProperty(JOB, Job.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason;
        if (exchange.getProperty(FETCHING, false, Boolean.class)) {
            reason = "the image '" + job.objectName() + "' could not be read from " + job.source() + " bucket '"
                    + job.bucket() + "' (it may have been moved or deleted)";
        } else if (exchange.getProperty(WRITING, false, Boolean.class)) {
            reason = "the result could not be written to " + job.source() + " bucket '" + job.outputBucket()
                    + "' at " + job.resultPath() + " (" + StorageFailures.describe(cause) + ")";
        } else {
            reason = describe(cause);
        }
        if (cause != null) {
            LOG.debug("Job failure cause", cause);
        }
        setEnvelope(exchange, job, new ResultEnvelope(ResultEnvelope.TYPE, job.requestUuid(), job.examinationId(),
                job.filename(), ResultEnvelope.ERROR, null, null, reason, Instant.now().toString()));
        metrics.jobCompleted(job.endpoint(), ResultEnvelope.ERROR);
        LOG.warn("Job failed: {}", reason);
    }

    private void setEnvelope(Exchange exchange, Job job, ResultEnvelope envelope) throws JsonProcessingException {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(MessageNames.WEBHOOK_URL_HEADER, job.webhookUrl());
        message.setHeader(MessageNames.REQUEST_UUID_HEADER, job.requestUuid());
        if (job.examinationId() != null) {
            message.setHeader(MessageNames.EXAMINATION_ID_HEADER, job.examinationId());
        }
        message.setBody(json.writeValueAsString(envelope));
    }

    public boolean writesResult(Exchange exchange) {
        return exchange.getProperty(JOB, Job.class).writesResult();
    }

    public boolean needsImage(Exchange exchange) {
        return !exchange.getProperty(JOB, Job.class).isUpload();
    }

    /** Asks the job's provider for its image (see StorageHeaders). */
    public void fetchRequest(Exchange exchange) {
        Job job = exchange.getProperty(JOB, Job.class);
        exchange.setProperty(FETCHING, true);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(null);
        message.setHeader(StorageHeaders.BUCKET, job.bucket());
        message.setHeader(StorageHeaders.OBJECT_NAME, job.objectName());
    }

    /** Asks the job's provider to write the envelope (the body) at the job's result_path. */
    public void writeRequest(Exchange exchange) {
        Job job = exchange.getProperty(JOB, Job.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(StorageHeaders.BUCKET, job.outputBucket());
        message.setHeader(StorageHeaders.OBJECT_NAME, job.resultPath());
        LOG.info("Writing the result to {} bucket '{}' at {}", job.source(), job.outputBucket(), job.resultPath());
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
