package org.octgateway;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import java.lang.management.ManagementFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator checks on a running gateway after one upload went through: health (ready, live, full),
 * the Prometheus metrics dashboards rely on, the OpenAPI document on the business port, and Jolokia
 * (route MBeans found, JVM operations refused, a route stopped and started again).
 */
class OperationsEndpointsTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/operations";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("camel.management.jolokiaEnabled", "true");
    }

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withEnableJMX(); // route MBeans, as the jar has them (camel.main.jmxEnabled)
    }

    private boolean uploaded;

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"grade\":2}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    /** The gateway starts before each test's first use (not in @BeforeAll): one upload, delivered, once per class. */
    @BeforeEach
    void oneUploadDelivered() {
        if (uploaded) {
            return;
        }
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(41), Map.of("Webhook-Url", webhookUrl(HOOK))));
        assertEquals("completed", awaitEnvelope(HOOK, uuid).path("status").asText());
        uploaded = true;
    }

    // ---- health ---------------------------------------------------------------------------------

    @Test
    void readinessLivenessAndOverallHealthAreUp() {
        assertReadyLiveAndUp();
    }

    @Test
    void fullHealthShowsTheGatewaysOwnChecks() {
        JsonNode full = fullHealth();
        assertEquals("UP", full.path("status").asText(), full.toString());
        for (String check : List.of("job-queue", "inference-server", "webhook-backlog")) {
            assertEquals("UP", healthCheck(check).path("status").asText(), check + " in " + full);
        }
        assertEquals("true", healthCheck("inference-server").path("data").path("reachable").asText(), full.toString());
        assertEquals("0", healthCheck("webhook-backlog").path("data").path("dead_letters").asText(), full.toString());
    }

    // ---- metrics --------------------------------------------------------------------------------

    @Test
    void everyDashboardMetricIsExported() {
        HttpResponse<String> answer = getManagement("/observe/metrics");
        assertEquals(200, answer.statusCode());
        String text = answer.body();
        Map<String, Double> series = Prometheus.series(text);

        assertAtLeast(1, series, "gateway_jobs_accepted_total{endpoint=\"invocations\"}");
        assertAtLeast(1, series, "gateway_jobs_completed_total{endpoint=\"invocations\",status=\"completed\"}");
        // the queue gauges are the broker's (the embedded one here), named in their label
        String broker = "{broker=\"embedded@";
        assertTrue(series.keySet().stream().anyMatch(s -> s.startsWith("gateway_queue_backlog" + broker)), series.keySet().toString());
        assertAtLeast(0, series, brokerSeries(series, "gateway_queue_backlog"));
        assertAtLeast(0, series, brokerSeries(series, "gateway_queue_oldest_age_seconds"));
        assertAtLeast(1, series, "gateway_inference_seconds_count");
        assertTrue(series.keySet().stream().filter(s -> s.startsWith("gateway_inference_seconds_bucket{")).count() > 1,
                "gateway_inference_seconds is a histogram (several buckets)");
        assertAtLeast(1, series, "gateway_inference_seconds_bucket{le=\"+Inf\"}");
        assertAtLeast(1, series, "gateway_webhook_deliveries_total{outcome=\"delivered\"}");
        assertEquals(0.0, series.get(brokerSeries(series, "gateway_dead_letters")), "gateway_dead_letters");

        // Camel's route metrics: the upload went through accept-upload
        Optional<Double> acceptUploadExchanges = series.entrySet().stream()
                .filter(e -> e.getKey().startsWith("camel_exchanges_total{") && e.getKey().contains("routeId=\"accept-upload\""))
                .map(Map.Entry::getValue).findFirst();
        assertTrue(acceptUploadExchanges.orElse(0.0) >= 1, "camel_exchanges_total of route accept-upload");
        // JVM metrics
        assertTrue(Prometheus.hasMetric(text, "jvm_memory_used_bytes"), "jvm_memory_used_bytes");
        assertTrue(Prometheus.hasMetric(text, "jvm_threads_live_threads"), "jvm_threads_live_threads");
    }

    /** The one series of {@code name}, with its broker label. */
    private static String brokerSeries(Map<String, Double> series, String name) {
        return series.keySet().stream().filter(s -> s.startsWith(name + "{broker=")).findFirst().orElse(name);
    }

    private static void assertAtLeast(double minimum, Map<String, Double> series, String name) {
        Double value = series.get(name);
        assertTrue(value != null, name + " is not exported; gateway series: "
                + series.keySet().stream().filter(s -> s.startsWith("gateway_") && !s.contains("_bucket{")).toList());
        assertTrue(value >= minimum, name + " = " + value + ", expected >= " + minimum);
    }

    // ---- OpenAPI --------------------------------------------------------------------------------

    @Test
    void apiDocDocumentsTheEndpointsTheirHeadersAndErrorCodes() {
        HttpResponse<String> answer = get("/api-doc");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode doc = json(answer.body());
        assertTrue(doc.has("openapi") || doc.has("swagger"), "an OpenAPI document: " + answer.body());

        Set<String> paths = new TreeSet<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(Set.of("/ping", "/invocations", "/bucket_invocations", "/bucket_invocations_azure_uae",
                "/bucket_invocations_s3", "/requests/{request_uuid}", "/examinations/{examination_id}"), paths);
        assertFalse(answer.body().contains("/demo"), "the demo peers are off and must not be documented");

        assertEquals(Set.of("200", "503"), responseCodes(doc, "/ping", "get"));
        assertEquals(Set.of("200", "400", "401", "409", "413", "415", "429", "503"), responseCodes(doc, "/invocations", "post"));
        assertEquals(Set.of("Webhook-Url", "Examination-ID", "Inference-Parameters", "Idempotency-Key", "Request-TTL-Seconds"),
                headers(doc, "/invocations"));
        assertTrue(requiredHeaders(doc, "/invocations").contains("Webhook-Url"));
        for (String bucketPath : List.of("/bucket_invocations", "/bucket_invocations_azure_uae")) {
            assertEquals(Set.of("200", "400", "401", "404", "409", "429", "502", "503"), responseCodes(doc, bucketPath, "post"),
                    bucketPath);
            assertEquals(Set.of("Input-Location", "Webhook-Url", "Input-Bucket-Name", "Output-Bucket-Name", "Write-To-GCS",
                    "Examination-ID", "Inference-Parameters", "Idempotency-Key", "Request-TTL-Seconds"), headers(doc, bucketPath),
                    bucketPath);
            assertEquals(Set.of("Input-Location", "Webhook-Url"), requiredHeaders(doc, bucketPath), bucketPath);
        }
    }

    private static Set<String> responseCodes(JsonNode doc, String path, String method) {
        Set<String> codes = new TreeSet<>();
        doc.path("paths").path(path).path(method).path("responses").fieldNames().forEachRemaining(codes::add);
        return codes;
    }

    private static Set<String> headers(JsonNode doc, String path) {
        return headerNames(doc, path, false);
    }

    private static Set<String> requiredHeaders(JsonNode doc, String path) {
        return headerNames(doc, path, true);
    }

    private static Set<String> headerNames(JsonNode doc, String path, boolean requiredOnly) {
        Set<String> names = new TreeSet<>();
        for (JsonNode parameter : doc.path("paths").path(path).path("post").path("parameters")) {
            if ("header".equals(parameter.path("in").asText()) && (!requiredOnly || parameter.path("required").asBoolean())) {
                names.add(parameter.path("name").asText());
            }
        }
        return names;
    }

    // ---- Jolokia (what hawtio uses) --------------------------------------------------------------

    @Test
    void jolokiaSearchFindsTheGatewaysRouteMBeans() {
        Set<String> routeIds = new TreeSet<>();
        for (String mbean : routeMBeans()) {
            routeIds.add(routeIdOf(mbean));
        }
        assertTrue(routeIds.containsAll(List.of("job-worker", "accept-upload", "deliver-webhook")), routeIds.toString());
    }

    @Test
    void jolokiaShowsRouteMBeansButNoPerProcessorMBeansAtTheDefaultLevel() {
        // camel.main.jmxManagementMBeansLevel=RoutesOnly: the per-processor MBeans were ~a quarter of a cold start's CPU
        JsonNode answer = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=processors,*\"}");
        assertEquals(200, answer.path("status").asInt(), answer.toString());
        assertEquals(0, answer.path("value").size(), "processor MBeans registered");
        assertFalse(routeMBeans().isEmpty());
    }

    @Test
    void jolokiaRefusesJvmOperations() {
        JsonNode answer = jolokia("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}");
        assertEquals(403, answer.path("status").asInt(), answer.toString());
        answer = jolokia("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
        assertEquals(403, answer.path("status").asInt(), answer.toString());
        // reading stays allowed
        answer = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}");
        assertEquals(200, answer.path("status").asInt(), answer.toString());
    }

    @Test
    void operatorStopsAndStartsTheDeliveryRouteThroughJolokia() {
        String mbean = routeMBeans().stream().filter(m -> "deliver-webhook".equals(routeIdOf(m))).findFirst().orElseThrow();
        String hook = "/hooks/route-stopped";
        try {
            JsonNode stop = jolokia(exec(mbean, "stop()"));
            assertEquals(200, stop.path("status").asInt(), stop.toString());
            assertEquals("Stopped", routeState(mbean));

            // While the route is stopped, the result waits in the delivery queue (the backlog check counts it).
            String uuid = accepted(uploadImage("held.png", "image/png", TestImages.png(42), Map.of("Webhook-Url", webhookUrl(hook))));
            await("result waiting for delivery").atMost(DELIVERY_TIMEOUT)
                    .until(() -> healthCheck("webhook-backlog").path("data").path("pending_deliveries").asInt() == 1);
            assertTrue(envelopesAt(hook, uuid).isEmpty(), "delivered although deliver-webhook is stopped");

            JsonNode start = jolokia(exec(mbean, "start()"));
            assertEquals(200, start.path("status").asInt(), start.toString());
            assertEquals("Started", routeState(mbean));
            assertEquals("completed", awaitEnvelope(hook, uuid).path("status").asText());
        } finally {
            if (!"Started".equals(routeState(mbean))) {
                jolokia(exec(mbean, "start()"));
            }
        }
    }

    private List<String> routeMBeans() {
        JsonNode answer = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertEquals(200, answer.path("status").asInt(), answer.toString());
        List<String> names = new ArrayList<>();
        answer.path("value").forEach(name -> names.add(name.asText()));
        return names;
    }

    private static String routeIdOf(String mbean) {
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"?([^\",]+)\"?").matcher(mbean);
        return name.find() ? name.group(1) : "";
    }

    private String routeState(String mbean) {
        JsonNode answer = jolokia("{\"type\":\"read\",\"mbean\":" + JSON.valueToTree(mbean) + ",\"attribute\":\"State\"}");
        return answer.path("value").asText();
    }

    private static String exec(String mbean, String operation) {
        return "{\"type\":\"exec\",\"mbean\":" + JSON.valueToTree(mbean) + ",\"operation\":\"" + operation + "\"}";
    }

    @Test
    void theStartedGatewayLetsTheJvmReturnIdleHeapToTheSystem() {
        // what an operator sees with `jcmd <pid> VM.flags`: G1 collects periodically while idle and uncommits the heap
        // it does not need, so a plain `java -jar` does not keep its startup garbage resident
        assumeTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1")),
                "the JVM runs G1");
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertNotEquals("0", hotspot.getVMOption("G1PeriodicGCInterval").getValue(), "G1PeriodicGCInterval");
    }
}
