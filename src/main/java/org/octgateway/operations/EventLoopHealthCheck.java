package org.octgateway.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness (and readiness) that fails when the business port's Vert.x event loops stop running tasks. Every
 * request of the REST API is read and answered on an event loop; one blocked loop leaves the port silent while
 * everything else looks healthy. Each loop of the business server's Vert.x is sent a tiny task about every second;
 * the check is DOWN when a task has waited longer than {@code gateway.health.event-loop-max-delay-ms} to run.
 */
public class EventLoopHealthCheck extends AbstractHealthCheck implements StartupListener {

    private final int businessPort;
    private final long maxDelayNanos;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile List<Probe> probes = List.of();

    /** One event loop: when its pending task was sent, or 0 while none is pending. */
    private static final class Probe {
        final EventExecutor loop;
        volatile long pendingSince;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        void ping() {
            if (pendingSince != 0) {
                return; // the last one has not run yet: one waiting task per loop is enough
            }
            pendingSince = System.nanoTime();
            loop.execute(() -> pendingSince = 0);
        }

        long delayNanos(long now) {
            long since = pendingSince;
            return since == 0 ? 0 : now - since;
        }
    }

    public EventLoopHealthCheck(int businessPort, long maxDelayMs) {
        super("gateway", "event-loop");
        this.businessPort = businessPort;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
    }

    /** Camel's checks are readiness-only unless they say otherwise; a silent port is worth a restart. */
    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(businessPort));
        if (router == null || !started.compareAndSet(false, true)) {
            return; // no business server, or already watching (this is called again when routes start later)
        }
        Vertx vertx = router.vertx();
        List<Probe> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loop -> loops.add(new Probe(loop)));
        probes = List.copyOf(loops);
        long intervalMs = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(maxDelayNanos) / 2));
        // Camel shuts this executor down with the context.
        ScheduledExecutorService pinger = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "event-loop-watch");
        pinger.scheduleAtFixedRate(() -> probes.forEach(Probe::ping), 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long now = System.nanoTime();
        long worst = 0;
        for (Probe probe : probes) {
            worst = Math.max(worst, probe.delayNanos(now));
        }
        long worstMs = TimeUnit.NANOSECONDS.toMillis(worst);
        builder.detail("event_loops", probes.size()).detail("longest_wait_ms", worstMs);
        if (worst > maxDelayNanos) {
            builder.message("a Vert.x event loop of the business port has not run for " + worstMs
                    + " ms: the REST API cannot answer").down();
        } else {
            builder.up();
        }
    }
}
