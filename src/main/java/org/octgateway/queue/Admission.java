package org.octgateway.queue;

/**
 * Room reserved in the job queue for one request's jobs, and their JMS priorities.
 *
 * @param caller        whose jobs they are
 * @param jobs          how many
 * @param callerBacklog the caller's jobs already waiting when the request came
 */
public record Admission(String caller, int jobs, long callerBacklog) {

    /** JMS priorities run 0..9; Artemis hands out the highest waiting first. */
    static final int HIGHEST_PRIORITY = 9;

    /**
     * The priority of the request's {@code index}-th job: 9 for a caller with nothing waiting, one less each time
     * the caller's backlog (plus one) doubles: 1-2 jobs ahead → 8, 3-6 → 7, 7-14 → 6, …, 511 and more → 0. A light caller's next job
     * therefore overtakes a heavy caller's backlog, while each caller's own jobs keep their order.
     */
    public int priority(int index) {
        long ahead = callerBacklog + index;
        int doublings = 63 - Long.numberOfLeadingZeros(ahead + 1); // floor(log2(ahead + 1))
        return Math.max(0, HIGHEST_PRIORITY - doublings);
    }
}
