package org.octgateway.metrics;

import org.octgateway.queue.BrokerCounts;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * The gateway's own metrics, under names dashboards rely on (Prometheus form):
 * gateway_jobs_accepted_total{endpoint}, gateway_jobs_completed_total{endpoint,status},
 * gateway_caller_jobs_accepted_total{caller}, gateway_queue_backlog, gateway_queue_oldest_age_seconds, gateway_inference_seconds (histogram),
 * gateway_webhook_deliveries_total{outcome}, gateway_dead_letters.
 * The counters and the histogram are this instance's (sum them across pods); the queue gauges are the broker's
 * counters, labelled {@code broker}, the same in every instance sharing it (take one per broker, e.g. max by (broker)).
 * They join Camel's Micrometer registry (served at /observe/metrics) once Camel has started.
 */
public class GatewayMetrics implements StartupListener {

    private final BrokerCounts brokerCounts;
    private final String jobsQueue;
    private final String deadLetterQueue;
    private final String brokerName;
    private final java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile MeterRegistry registry = new SimpleMeterRegistry();
    /**
     * The per-job meters, by name and labels, looked up in the registry once: a builder and register() per job and per
     * delivery attempt searched the registry every time. Replaced with the registry.
     */
    private volatile Map<String, Meter> perJobMeters = new ConcurrentHashMap<>();

    /** @param brokerName the broker the queue gauges come from, their {@code broker} label */
    public GatewayMetrics(BrokerCounts brokerCounts, String jobsQueue, String deadLetterQueue, String brokerName) {
        this.brokerName = brokerName;
        this.brokerCounts = brokerCounts;
        this.jobsQueue = jobsQueue;
        this.deadLetterQueue = deadLetterQueue;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (!registered.compareAndSet(false, true)) {
            return; // called again when a route (re)starts later, e.g. a YAML reload: the meters exist already
        }
        MeterRegistry camelRegistry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (camelRegistry != null) {
            registry = camelRegistry;
            perJobMeters = new ConcurrentHashMap<>();
        }
        Gauge.builder("gateway.queue.backlog", brokerCounts, stats -> stats.messageCount(jobsQueue))
                .description("Jobs in the work queue, waiting or being worked on (the broker's count)").tag("broker", brokerName).register(registry);
        Gauge.builder("gateway.queue.oldest.age", brokerCounts, stats -> stats.oldestAgeSeconds(jobsQueue))
                .description("Age of the oldest job in the work queue").baseUnit("seconds").tag("broker", brokerName).register(registry);
        Gauge.builder("gateway.dead.letters", brokerCounts, stats -> stats.messageCount(deadLetterQueue))
                .description("Messages kept in the dead-letter queue").tag("broker", brokerName).register(registry);
        // Make the series exist from the start, so dashboards and alerts see zeros rather than gaps.
        for (String outcome : new String[] {"delivered", "retried", "dead_lettered"}) {
            webhookCounter(outcome);
        }
        inferenceTimer();
    }

    /**
     * Counts accepted jobs by endpoint (gateway_jobs_accepted_total) and by caller (gateway_caller_jobs_accepted_total).
     * {@code caller} is a configured caller name or "anonymous": the label's values are bounded by the configuration.
     */
    public void jobsAccepted(String endpoint, String caller, int jobs) {
        Counter.builder("gateway.jobs.accepted").description("Jobs accepted").tag("endpoint", endpoint)
                .register(registry).increment(jobs);
        Counter.builder("gateway.caller.jobs.accepted").description("Jobs accepted, by API caller").tag("caller", caller)
                .register(registry).increment(jobs);
    }

    public void jobCompleted(String endpoint, String status) {
        ((Counter) perJobMeters.computeIfAbsent("completed " + endpoint + " " + status, key -> Counter.builder("gateway.jobs.completed")
                .description("Jobs finished, by envelope status").tag("endpoint", endpoint).tag("status", status)
                .register(registry))).increment();
    }

    public void inferenceCall(Duration duration) {
        inferenceTimer().record(duration);
    }

    public void webhookDelivery(String outcome) {
        webhookCounter(outcome).increment();
    }

    private Counter webhookCounter(String outcome) {
        return (Counter) perJobMeters.computeIfAbsent("webhook " + outcome, key -> Counter.builder("gateway.webhook.deliveries")
                .description("Webhook delivery attempts, by outcome").tag("outcome", outcome).register(registry));
    }

    private Timer inferenceTimer() {
        return (Timer) perJobMeters.computeIfAbsent("inference", key -> Timer.builder("gateway.inference")
                .description("Successful inference calls").publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry));
    }
}
