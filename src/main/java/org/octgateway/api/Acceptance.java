package org.octgateway.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.octgateway.contract.Answers;
import org.octgateway.contract.ApiError;
import org.octgateway.job.Job;
import org.octgateway.job.JobLogContext;
import org.octgateway.job.MessageNames;
import org.octgateway.job.RequestUuids;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.queue.Admission;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.queue.JobQueue;
import org.octgateway.queue.QueueHealth;
import org.octgateway.state.RequestStates;
import org.octgateway.validation.JobRequest;
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
    private final CallerBacklog backlog;
    private final RequestStates requestStates;

    public Acceptance(JobQueue jobQueue, QueueHealth queueHealth, GatewayMetrics metrics,
                      CallerBacklog backlog, RequestStates requestStates) {
        this.jobQueue = jobQueue;
        this.queueHealth = queueHealth;
        this.metrics = metrics;
        this.backlog = backlog;
        this.requestStates = requestStates;
    }

    /**
     * Accepts an upload: its job (the image is the request's uploaded file, the request_uuid new), queued as its
     * caller's with the image's bytes streamed from the upload's file; the answer {filename, status, request_uuid}.
     * One route step instead of three (job, queue, answer).
     */
    public Answers.UploadSent acceptUpload(JobRequest request, UploadedImage image, String caller, long ttlSeconds) {
        Job job = new Job(RequestUuids.next(), "invocations", Job.UPLOAD, null, null, image.filename(),
                request.examinationId(), request.webhookUrl(), request.inferenceParameters(), null, null,
                System.currentTimeMillis());
        Job queued = enqueue(caller, List.of(job), image.file(), ttlSeconds, null).get(0);
        return new Answers.UploadSent(queued.filename(), SENT, queued.requestUuid());
    }

    /** Queues a bucket request's jobs as its caller's, all or none; the jobs as queued. */
    public ExamListing.ExamJobs queueBucketJobs(@Body ExamListing.ExamJobs exam,
                                                @ExchangeProperty(MessageNames.CALLER) String caller,
                                                @ExchangeProperty(RequestStates.REQUEST_TTL) long ttlSeconds) {
        // a folder is an exam: its completion is announced once all its images are done (state/ExamCompletion)
        String examRequest = exam.folder() ? RequestUuids.next() : null;
        return new ExamListing.ExamJobs(enqueue(caller, exam.jobs(), null, ttlSeconds, examRequest), exam.folder());
    }

    /**
     * The answer to a bucket request: {filename, status, result_path, request_uuid}, scalars for one object, arrays
     * in correspondence for a folder.
     */
    public Object bucketSent(@Body ExamListing.ExamJobs exam) {
        if (!exam.folder()) {
            Job job = exam.jobs().get(0);
            return new Answers.ObjectSent(job.filename(), SENT, job.resultPath(), job.requestUuid());
        }
        List<String> filenames = new ArrayList<>(exam.jobs().size());
        List<String> resultPaths = new ArrayList<>(exam.jobs().size());
        List<String> uuids = new ArrayList<>(exam.jobs().size());
        for (Job job : exam.jobs()) {
            filenames.add(job.filename());
            resultPaths.add(job.resultPath());
            uuids.add(job.requestUuid());
        }
        return new Answers.FolderSent(filenames, SENT, resultPaths, uuids);
    }

    /**
     * Hands in the request's records (RequestStates#handIn), then queues its jobs as its caller's, all or none, and
     * returns them as queued. Records of jobs the queue refused are forgotten.
     */
    private List<Job> enqueue(String caller, List<Job> jobs, Path image, long ttlSeconds, String examRequest) {
        if (queueHealth.isShuttingDown()) {
            throw new ApiError(503, "shutting_down", "The gateway is shutting down; nothing was accepted. Try again.");
        }
        List<Job> callersJobs = jobs.stream().map(job -> job.accepted(caller, ttlSeconds)).toList();
        Admission admission = backlog.admit(caller, callersJobs.size());
        boolean committed = false;
        try {
            // a folder's records are committed here, with its exam row; the others' after the answer (RequestStates)
            RequestStates.AcceptedRecords records = requestStates.handIn(callersJobs, examRequest);
            try {
                jobQueue.enqueue(callersJobs, image, admission);
                committed = true;
            } finally {
                if (committed) {
                    requestStates.queued(records);
                } else {
                    requestStates.withdrawn(records);
                }
            }
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
