package org.octgateway.state;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus gauges {@code gateway_requests{state}}: records per state in the state store. One GROUP BY per
 * scrape at most every {@value #FRESH_MILLIS} ms, however many states and scrapers there are.
 */
class RequestStateGauges implements StartupListener {

    private static final long FRESH_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(RequestStateGauges.class);

    private final Supplier<Map<String, Long>> counts;
    private final AtomicBoolean registered = new AtomicBoolean();
    private volatile Map<String, Long> latest = Map.of();
    private volatile long readAt;

    RequestStateGauges(Supplier<Map<String, Long>> counts) {
        this.counts = counts;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null || !registered.compareAndSet(false, true)) {
            return; // called again when a route (re)starts later: the gauges exist already
        }
        for (String state : new String[] {RequestStates.QUEUED, RequestStates.RUNNING, RequestStates.COMPLETED,
                RequestStates.ERROR, RequestStates.CANCELLED, RequestStates.EXPIRED}) {
            Gauge.builder("gateway.requests", this, gauges -> gauges.count(state)).tag("state", state)
                    .description("Request records in the state store, by state").register(registry);
        }
    }

    private double count(String state) {
        long now = System.currentTimeMillis();
        if (now - readAt > FRESH_MILLIS) {
            try {
                latest = counts.get();
            } catch (RuntimeException e) {
                LOG.debug("Request counts unavailable: {}", e.getMessage());
            }
            readAt = now;
        }
        return latest.getOrDefault(state, 0L);
    }
}
