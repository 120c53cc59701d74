package org.octgateway.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskExecutor;

/**
 * The threads a queue consumer route runs on (its JMS listener's {@code taskExecutor}): named for the route, and
 * at a lower OS priority than the HTTP threads that accept uploads: their nice value is the JVM's plus
 * {@code gateway.queue.consumer-nice} (at most 19).
 * <p>
 * Why: on a busy machine the accepted jobs wait safely in the queue, a client waiting for its answer does not. When
 * both want the CPU, the answers go first; when the front door is idle, the kernel gives the jobs every cycle, as
 * before (the scheduler is work-conserving: a higher nice value is a smaller share under contention, never a cap).
 * <p>
 * Linux gives each thread its own nice value, and lets a thread raise its own without privilege (lowering it again
 * would need CAP_SYS_NICE). A thread inherits its creator's: the threads a broker or client pool starts on a consumer
 * thread's behalf run at the lower priority too. Elsewhere than Linux, or if libc cannot be reached, the consumers run
 * at the JVM's priority and one line says so.
 */
public final class ConsumerThreads implements TaskExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerThreads.class);
    /** setpriority(2)'s "which" for one process, which on Linux is one thread: its TID. */
    private static final int PRIO_PROCESS = 0;
    /** Said once per JVM: the reason the consumers run at the normal priority. */
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private final String route;
    private final int steps;
    private final AtomicInteger count = new AtomicInteger();

    /**
     * @param route the consumer route's id, the threads' name
     * @param steps how many steps of nice value below the JVM's priority they run (0: as the HTTP threads; up to 19)
     */
    public ConsumerThreads(String route, int steps) {
        if (steps < 0 || steps > 19) {
            throw new IllegalArgumentException("gateway.queue.consumer-nice must be from 0 to 19, not " + steps);
        }
        this.route = route;
        this.steps = steps;
    }

    /**
     * Runs the listener's task (one consumer, for as long as the listener runs) on a thread of its own; a daemon, so
     * that it never holds the JVM up: the routes' graceful shutdown is what waits for the jobs in hand.
     */
    @Override
    public void execute(Runnable task) {
        Thread thread = new Thread(() -> {
            if (steps > 0) {
                lowerOwnPriority(steps);
            }
            task.run();
        }, route + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** The calling thread's nice value raised by {@code steps} (at most to 19); said once where that cannot be done. */
    private static void lowerOwnPriority(int steps) {
        if (!Platform.isLinux()) {
            reportOnce("the OS is not Linux");
            return;
        }
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>": the TID, which Java 17 does not give otherwise
            int tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            // the JVM's nice value, as a new thread inherits it (usually 0)
            int nice = Math.min(19, LibC.INSTANCE.getpriority(PRIO_PROCESS, tid) + steps);
            if (LibC.INSTANCE.setpriority(PRIO_PROCESS, tid, nice) != 0) {
                reportOnce("setpriority failed, errno " + Native.getLastError());
            }
        } catch (Exception | LinkageError e) {
            reportOnce(e.toString());
        }
    }

    private static void reportOnce(String reason) {
        if (REPORTED.compareAndSet(false, true)) {
            LOG.info("Jobs and deliveries run at the HTTP threads' priority ({})", reason);
        }
    }

    /** The libc functions used; loaded on first use. */
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int getpriority(int which, int who);

        int setpriority(int which, int who, int prio);
    }
}
