package org.octgateway.queue;

import org.octgateway.job.MessageNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.octgateway.contract.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much work the job queue holds, in all and per caller, and whether a request's jobs still fit:
 * <ul>
 * <li>{@code gateway.queue.max-backlog}: jobs in the queue (the broker's own message count, asked per request);</li>
 * <li>{@code gateway.queue.max-backlog-per-caller}: jobs one caller has waiting, counted here (accepted minus taken
 * by a worker), and recounted from the broker (messages grouped by their caller property) at startup and, with an
 * external broker, every {@link #RECOUNT_SECONDS} seconds, so counts survive restarts and converge when several
 * gateways share a broker;</li>
 * <li>{@code gateway.bucket.max-images-per-request}: jobs one request may create.</li>
 * </ul>
 * A request that does not fit is refused whole, before anything is queued.
 */
public class CallerBacklog {

    /** How often the per-caller counts are recounted from an external broker (a walk of the queue on the broker). */
    public static final long RECOUNT_SECONDS = 30;
    /** What a refused caller is told to wait: roughly how long a few workers need to make room. */
    static final String RETRY_AFTER_SECONDS = "60";
    private static final Logger LOG = LoggerFactory.getLogger(CallerBacklog.class);

    private final BrokerCounts broker;
    private final long maxBacklog;
    private final long maxPerCaller;
    private final int maxPerRequest;
    private final Map<String, AtomicLong> waitingByCaller = new ConcurrentHashMap<>();
    /** Jobs admitted by this gateway whose transaction has not committed yet: not in the broker's count so far. */
    private long admittedNotYetQueued;
    private boolean warnedUnknownDepth; // guarded by this

    public CallerBacklog(BrokerCounts broker, long maxBacklog, long maxPerCaller, int maxPerRequest) {
        this.broker = broker;
        this.maxBacklog = maxBacklog;
        this.maxPerCaller = maxPerCaller;
        this.maxPerRequest = maxPerRequest;
    }

    /**
     * Reserves room for {@code jobs} jobs of {@code caller}, or refuses them all.
     *
     * @throws ApiError 400 too_many_images, 429 queue_full or caller_queue_full (with Retry-After)
     */
    public Admission admit(String caller, int jobs) {
        if (jobs > maxPerRequest) {
            throw new ApiError(400, "too_many_images", "Input-Location holds " + jobs + " images; one request may queue at most "
                    + maxPerRequest + ". Send its sub-folders as separate requests.");
        }
        // Asked outside the lock (a round trip to an external broker); requests admitted meanwhile are in admittedNotYetQueued.
        long depth = broker.messageCount();
        synchronized (this) {
            long waiting = requireRoom(caller, jobs, depth);
            waiting(caller).addAndGet(jobs);
            admittedNotYetQueued += jobs;
            return new Admission(caller, jobs, waiting);
        }
    }

    /**
     * Refuses a request at once, before its upload is read or its folder listed, when not even one more job of its
     * caller would fit. The request's own count is checked again by {@link #admit}.
     */
    public void requireRoom(@ExchangeProperty(MessageNames.CALLER) String caller) {
        long depth = broker.messageCount();
        synchronized (this) {
            requireRoom(caller, 1, depth);
        }
    }

    /** Throws 429 unless {@code jobs} more jobs of {@code caller} fit; answers the caller's jobs waiting now. */
    private long requireRoom(String caller, int jobs, long depth) {
        if (depth < 0) {
            warnUnknownDepthOnce();
        } else if (depth + admittedNotYetQueued + jobs > maxBacklog) {
            throw tooManyRequests("queue_full", "The job queue is full (" + (depth + admittedNotYetQueued) + " of "
                    + maxBacklog + " jobs waiting); nothing was accepted. Try again later.");
        } else {
            warnedUnknownDepth = false;
        }
        long waiting = waiting(caller).get();
        if (waiting + jobs > maxPerCaller) {
            throw tooManyRequests("caller_queue_full", "Caller '" + caller + "' has " + waiting + " jobs waiting and at most "
                    + maxPerCaller + " may wait at once" + (jobs > 1 ? " (this request has " + jobs + ")" : "")
                    + "; nothing was accepted. Try again later.");
        }
        return waiting;
    }

    /** The admitted jobs are in the broker now (or failed to get there: then they are not waiting either). */
    public synchronized void queued(Admission admission, boolean committed) {
        admittedNotYetQueued -= admission.jobs();
        if (!committed) {
            decrement(admission.caller(), admission.jobs());
        }
    }

    /** A worker took one job off the queue (the first delivery only: a redelivered job was counted as taken). */
    public void taken(@Header("JMSRedelivered") Boolean redelivered, @Header(MessageNames.CALLER_PROPERTY) String caller) {
        if (Boolean.TRUE.equals(redelivered)) {
            return;
        }
        if (caller != null) {
            decrement(caller, 1);
        }
    }

    /** Jobs of {@code caller} waiting, as this gateway counts them. */
    public long waitingJobs(String caller) {
        AtomicLong waiting = waitingByCaller.get(caller);
        return waiting == null ? 0 : waiting.get();
    }

    /**
     * Replaces the per-caller counts with the broker's (jobs queued before a restart, or by other gateways, and
     * taken by other gateways' workers). A request committing during the recount may be missed until the next one.
     */
    public void recount() {
        Map<String, Long> counted = broker.countBy(MessageNames.CALLER_PROPERTY);
        if (counted == null) {
            LOG.debug("Could not recount the callers' backlogs from the broker; keeping this gateway's counts");
            return;
        }
        synchronized (this) {
            waitingByCaller.keySet().retainAll(counted.keySet());
            counted.forEach((caller, count) -> waiting(caller).set(count));
        }
    }

    private AtomicLong waiting(String caller) {
        return waitingByCaller.computeIfAbsent(caller, name -> new AtomicLong());
    }

    private void decrement(String caller, long jobs) {
        waiting(caller).updateAndGet(count -> Math.max(0, count - jobs));
    }

    private static ApiError tooManyRequests(String code, String message) {
        return new ApiError(429, code, message, Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    private void warnUnknownDepthOnce() {
        if (!warnedUnknownDepth) {
            warnedUnknownDepth = true;
            LOG.warn("Cannot read the job queue's message count from the broker (unreachable, or an external broker that does "
                    + "not give the gateway's user the 'manage' permission on activemq.management): gateway.queue.max-backlog "
                    + "is not enforced until it can");
        }
    }
}
