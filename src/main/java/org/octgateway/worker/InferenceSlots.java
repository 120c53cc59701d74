package org.octgateway.worker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The inference server's slots: at most {@code gateway.inference.concurrency} calls at once, however many job consumers
 * there are. There are more consumers than slots (gateway.worker.jobs-ahead more), so while the model works on one job
 * the next ones are already taken from the queue, restored and spooled, and the one before is being committed: the
 * slots do not sit idle through a job's JMS, database and disk work. A job holds its slot from its turn until its call
 * (retries included) ends; first come, first served, so jobs keep the queue's order.
 */
public class InferenceSlots {

    /** Exchange property: the slot the job holds (true while held). */
    static final String SLOT = "inferenceSlot";

    private final Semaphore free;

    public InferenceSlots(int concurrency) {
        this.free = new Semaphore(concurrency, true);
    }

    /**
     * Waits for a free slot, which is the job's until {@link #release}, or until the job ends in any other way (an
     * error envelope, a skipped job, a rollback), whichever comes first.
     */
    public void take(Exchange exchange) throws InterruptedException {
        free.acquire();
        AtomicBoolean held = new AtomicBoolean(true);
        exchange.setProperty(SLOT, held);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                release(held);
            }
        });
    }

    /** The job's inference call has ended: the next job's turn. Releasing twice frees one slot. */
    public void release(@ExchangeProperty(SLOT) AtomicBoolean held) {
        if (held != null && held.compareAndSet(true, false)) {
            free.release();
        }
    }
}
