package org.octgateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.ServiceStatus;
import org.octgateway.queue.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.octgateway.RawHttp.Request;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway with the shipped security posture (demo off, no webhook allow-list, bucket allow-lists as shipped) for
 * hostile-input tables: builds well-formed requests for each table row to spoil one thing of, runs rows over raw
 * sockets with a deadline, keeps the report, and checks the gateway is healthy afterwards.
 * <p>
 * The job worker does not run while the table is sent: a request the gateway wrongly accepts stays in the queue, so
 * the suite never connects to the addresses it names (cloud metadata, private ranges), whatever the gateway does.
 */
abstract class HostileGatewayTest extends GatewayTestSupport {

    static final Duration DEADLINE = Duration.ofSeconds(10);
    /** A public address the requests name as their webhook; nothing is ever delivered (the worker is stopped). */
    static final String HOOK = "https://1.1.1.1/hooks/oct-hostile";
    /** The examination id of the accepted controls: visible through the management port only if queue contents leak. */
    static final String CONTROL_EXAMINATION = "exam-hostile-control-5c1e";
    /** Secrets that must never come back: a -D system property (as operators pass keys) and the webhook secret. */
    static final String SYSTEM_PROPERTY_SECRET = "sysprop-secret-9d41c2e7";
    static final String WEBHOOK_SECRET = "webhook-secret-4a7f0b3c";
    static final List<String> BUCKET_ENDPOINTS = List.of("/bucket_invocations", "/bucket_invocations_azure_uae",
            "/bucket_invocations_s3");

    static {
        System.setProperty("hostile.storage.account-key", SYSTEM_PROPERTY_SECRET);
    }

    private final HostileReport report = new HostileReport(getClass().getSimpleName());

    @Override
    protected void overrideProperties(Properties properties) {
        // The shipped security posture: no webhook allow-list at all (the SSRF guard must stand on its own).
        properties.setProperty("gateway.webhook.allowed-hosts", "");
        properties.setProperty("gateway.webhook.allowed-subnets", "");
        properties.setProperty("gateway.webhook.secret", WEBHOOK_SECRET);
        properties.setProperty("gateway.local.root", peers().dataDir.resolve("buckets").toString());
        properties.setProperty("camel.server.fileUploadDirectory", vertxUploads().toString());
        // Short front-door timeouts (planned keys; harmless where unknown) so bodies that never end are cut quickly.
        properties.setProperty("gateway.http.request-timeout-seconds", "3");
        properties.setProperty("gateway.http.header-timeout-seconds", "3");
        properties.setProperty("gateway.http.idle-timeout-seconds", "5");
        // The worker starts only after the table (assertHealthy), once what the table got queued is taken out.
        // Stopping it later instead would reset the shared broker connection under concurrent accepts (503s).
        properties.setProperty("camel.main.autoStartupExcludePattern", "job-worker");
        moreProperties(properties);
    }

    /** Settings of one table's gateway. */
    protected void moreProperties(Properties properties) {
    }

    Path vertxUploads() {
        return peers().dataDir.resolve("vertx-uploads");
    }

    @BeforeAll
    void peersAndBuckets() throws IOException {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"grade\":1}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
        Path buckets = peers().dataDir.resolve("buckets");
        Files.createDirectories(buckets.resolve("oct-input/exam-1"));
        Files.write(buckets.resolve("oct-input/exam-1/scan-1.png"), TestImages.png(1));
        Files.createDirectories(buckets.resolve("oct-input/exam-empty"));
        Files.writeString(buckets.resolve("oct-input/exam-empty/notes.txt"), "no images here");
        Files.createDirectories(buckets.resolve("oct-results"));
        for (String other : List.of("other-bucket", "patients-all", "oct-input-2", "oct-results-archive")) {
            Files.createDirectories(buckets.resolve(other + "/exam-1"));
            Files.write(buckets.resolve(other + "/exam-1/scan-1.png"), TestImages.png(2));
        }
    }

    /** Sends one row to its port and checks the answer; the outcome goes to the report. */
    void sendAndCheck(HostileCase hostile, List<String> secrets) throws IOException {
        holdJobsInTheQueue();
        int port = hostile.port() == HostileCase.Port.BUSINESS ? peers().httpPort : peers().managementPort;
        report.run(hostile, () -> {
            RawHttp.Response answer;
            try {
                answer = RawHttp.exchange(port, hostile.request(), DEADLINE);
            } catch (RawHttp.NoAnswer noAnswer) {
                if (hostile.expect().shape() == HostileCase.Shape.CLOSED_OR_API_ERROR
                        && noAnswer.getMessage().startsWith("the connection was closed")) {
                    return null; // closed within the deadline: what this row asks for
                }
                throw noAnswer;
            }
            hostile.check(answer, secrets);
            return answer;
        });
    }

    /** The worker was never started (see overrideProperties): whatever the table gets accepted stays queued. */
    private void holdJobsInTheQueue() {
        assertEquals(ServiceStatus.Stopped, context.getRouteController().getRouteStatus("job-worker"),
                "the job worker must not run while the table is sent");
    }

    /**
     * /ping answers 200 within a second; once the jobs the table left in the queue are taken out and the worker runs,
     * readiness is UP; and no request, however broken, left an upload temp file behind.
     */
    void assertHealthy() throws IOException {
        RawHttp.Response ping = RawHttp.exchange(peers().httpPort, Request.get("/ping"), Duration.ofSeconds(2));
        assertEquals(200, ping.status(), "ping: " + ping.summary());
        assertTrue(ping.millis() < 1000, "ping took " + ping.millis() + " ms");
        System.out.println(getClass().getSimpleName() + ": " + drainJobs() + " jobs were accepted and queued by the table");
        try {
            context.getRouteController().startRoute("job-worker");
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the job worker", e);
        }
        await("readiness UP").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            RawHttp.Response ready = RawHttp.exchange(peers().managementPort, Request.get("/observe/health/ready"),
                    Duration.ofSeconds(5));
            assertEquals(200, ready.status(), "readiness: " + ready.summary());
            assertEquals("UP", json(ready.body()).path("status").asText(), ready.summary());
        });
        Path uploads = peers().dataDir.resolve("uploads");
        await("upload temp files removed").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    List<Path> left = filesUnder(uploads, vertxUploads());
                    assertEquals(0, left.size(), left.size() + " upload temp files left behind, e.g. "
                            + left.subList(0, Math.min(3, left.size())));
                });
    }

    /** Takes every job out of the queue (as a second consumer would), so none is ever delivered; returns how many. */
    private int drainJobs() {
        int drained = 0;
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
             JMSContext jms = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             JMSConsumer jobs = jms.createConsumer(jms.createQueue(context.resolvePropertyPlaceholders("{{gateway.queue.jobs}}")))) {
            while (jobs.receive(500) != null) {
                drained++;
            }
        }
        return drained;
    }

    @AfterAll
    void writeReport() throws IOException {
        report.write();
    }

    private static List<Path> filesUnder(Path... dirs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        return files;
    }

    // ---- well-formed requests, each row spoils one thing of ------------------------------------------------

    /** Headers in order; a null value leaves that default header out; byte[] values are sent as they are. */
    static Map<String, Object> h(Object... nameValues) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put((String) nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    /** A well-formed upload of a PNG, with {@code headers} set or replaced. */
    static Request upload(Map<String, Object> headers) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("Webhook-Url", HOOK);
        all.putAll(headers);
        Multipart form = new Multipart().file("image", "scan.png", "image/png", TestImages.png(4));
        Request request = Request.post("/invocations");
        setHeaders(request, all);
        return request.body(form.contentType(), form.bytes());
    }

    /** A well-formed request for the folder exam-1/ of the configured input bucket, with {@code headers} set or replaced. */
    static Request bucket(String endpoint, Map<String, Object> headers) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("Webhook-Url", HOOK);
        all.put("Input-Location", "exam-1/");
        all.putAll(headers);
        Request request = Request.post(endpoint).contentLength("0");
        setHeaders(request, all);
        return request;
    }

    /** A request without a body (GET or DELETE of the state endpoints), with {@code headers} set. */
    static Request plain(String method, String target, Map<String, Object> headers) {
        Request request = new Request(method, target);
        setHeaders(request, headers);
        return request;
    }

    private static void setHeaders(Request request, Map<String, Object> headers) {
        headers.forEach((name, value) -> {
            if (value instanceof byte[] raw) {
                request.headerBytes(name, raw);
            } else if (value != null) {
                request.header(name, (String) value);
            }
        });
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String before, byte[] middle, String after) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
