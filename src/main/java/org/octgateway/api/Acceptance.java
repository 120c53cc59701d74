package org.octgateway.api;

import org.octgateway.job.MessageNames;
import org.octgateway.contract.Answers;
import org.octgateway.contract.ApiError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.octgateway.queue.Admission;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.job.Job;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.job.JobLogContext;
import org.octgateway.queue.JobQueue;
import org.octgateway.queue.QueueHealth;
import org.octgateway.validation.JobRequest;
import org.octgateway.validation.RequestValidator;
import org.octgateway.validation.UploadedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a validated request into queued jobs and answers the client: one {@code request_uuid} per image.
 */
public class Acceptance {

    /** The status of an accepted job, as the service this gateway replaces answered it. */
    private static final String SENT = "sent";
    private static final Logger LOG = LoggerFactory.getLogger(Acceptance.class);

    private final JobQueue jobQueue;
    private final QueueHealth queueHealth;
    private final GatewayMetrics metrics;
    private final ObjectMapper json;
    private final CallerBacklog backlog;

    public Acceptance(JobQueue jobQueue, QueueHealth queueHealth, GatewayMetrics metrics, ObjectMapper json,
                      CallerBacklog backlog) {
        this.jobQueue = jobQueue;
        this.queueHealth = queueHealth;
        this.metrics = metrics;
        this.json = json;
        this.backlog = backlog;
    }

    /** Queues the uploaded image as one job, its bytes streamed from the upload's file, and answers {filename, status, request_uuid}. */
    public void acceptUpload(Exchange exchange) throws JsonProcessingException {
        JobRequest request = exchange.getProperty(RequestValidator.JOB_REQUEST, JobRequest.class);
        UploadedImage image = exchange.getProperty(UploadedImage.PROPERTY, UploadedImage.class);
        Job job = new Job(UUID.randomUUID().toString(), "invocations", Job.UPLOAD, null, null, image.filename(),
                request.examinationId(), request.webhookUrl(), request.inferenceParameters(), null, null,
                System.currentTimeMillis());
        job = enqueue(exchange, List.of(job), image.file()).get(0);

        respond(exchange, new Answers.UploadSent(job.filename(), SENT, job.requestUuid()));
    }

    /**
     * Queues bucket jobs and answers {filename, status, result_path, request_uuid}: scalars for one image,
     * arrays in correspondence for a folder.
     */
    public void acceptBucketJobs(Exchange exchange, List<Job> jobs, boolean folder) throws JsonProcessingException {
        jobs = enqueue(exchange, jobs, null);
        if (folder) {
            List<String> filenames = new ArrayList<>(jobs.size());
            List<String> resultPaths = new ArrayList<>(jobs.size());
            List<String> uuids = new ArrayList<>(jobs.size());
            for (Job job : jobs) {
                filenames.add(job.filename());
                resultPaths.add(job.resultPath());
                uuids.add(job.requestUuid());
            }
            respond(exchange, new Answers.FolderSent(filenames, SENT, resultPaths, uuids));
        } else {
            Job job = jobs.get(0);
            respond(exchange, new Answers.ObjectSent(job.filename(), SENT, job.resultPath(), job.requestUuid()));
        }
    }

    private void respond(Exchange exchange, Object answer) throws JsonProcessingException {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(answer));
    }

    /** Queues the request's jobs as its caller's, all or none, and returns them as queued. */
    private List<Job> enqueue(Exchange exchange, List<Job> jobs, Path image) {
        if (queueHealth.isShuttingDown()) {
            throw new ApiError(503, "shutting_down", "The gateway is shutting down; nothing was accepted. Try again.");
        }
        String caller = exchange.getProperty(MessageNames.CALLER, String.class);
        List<Job> callersJobs = jobs.stream().map(job -> job.withCaller(caller)).toList();
        Admission admission = backlog.admit(caller, callersJobs.size());
        boolean committed = false;
        try {
            jobQueue.enqueue(callersJobs, image, admission);
            committed = true;
        } finally {
            backlog.queued(admission, committed);
        }
        Job first = callersJobs.get(0);
        metrics.jobsAccepted(first.endpoint(), caller, callersJobs.size());
        // One line per request (a folder may hold thousands of images); each job's line only at DEBUG.
        LOG.info("Accepted {} job(s) from caller {} at {}", callersJobs.size(), caller, first.endpoint());
        if (LOG.isDebugEnabled()) {
            try {
                for (Job job : callersJobs) {
                    JobLogContext.tag(job.requestUuid(), job.examinationId());
                    LOG.debug("Job accepted: endpoint={} source={} filename={}", job.endpoint(), job.source(), job.filename());
                }
            } finally {
                JobLogContext.clear(); // the HTTP worker thread serves other requests next
            }
        }
        return callersJobs;
    }
}
