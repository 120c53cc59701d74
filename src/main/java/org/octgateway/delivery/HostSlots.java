package org.octgateway.delivery;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code limit} deliveries under way per webhook host name, in this gateway instance. A delivery that finds
 * its host's slots taken waits for one a short while ({@link #WAIT}) before it is sent back to the queue
 * ({@link WebhookHostBusy}, retried 1-2 s later): a fast webhook frees a slot within milliseconds, and when every
 * result goes to one integration engine, as in a clinic, sending each delivery that found both slots taken back to
 * the queue made most of them wait 1-2 s (a 2,000-job drain at 50 ms × 16: 218 jobs/s with the last webhooks 2 s
 * late, against 296 jobs/s and no tail with the wait). A slow webhook still holds no more than its share of the
 * delivery threads: the others wait at most {@link #WAIT} per try.
 */
class HostSlots {

    /** How long a delivery waits for its host's next free slot. */
    static final Duration WAIT = Duration.ofMillis(100);

    private final int limit;
    /** Attempts under way per host; a host with none has no entry. Guarded by this. */
    private final Map<String, Integer> inFlight = new HashMap<>();

    HostSlots(int limit) {
        this.limit = limit;
    }

    /**
     * Takes a slot for {@code host}, waiting up to {@link #WAIT} for one; throws {@link WebhookHostBusy} when its
     * slots are still all taken then.
     */
    String acquire(String host) throws WebhookHostBusy, InterruptedIOException {
        String key = host.toLowerCase(Locale.ROOT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (this) {
            while (inFlight.getOrDefault(key, 0) >= limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WebhookHostBusy(limit);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a delivery slot of " + key);
                }
            }
            inFlight.merge(key, 1, Integer::sum);
        }
        return key;
    }

    synchronized void release(String key) {
        inFlight.computeIfPresent(key, (name, count) -> count <= 1 ? null : count - 1);
        notifyAll();
    }
}
