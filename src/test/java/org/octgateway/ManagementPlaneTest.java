package org.octgateway;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management port as shipped (application.properties): it listens on loopback only; Jolokia answers POST only,
 * refuses requests from web pages of other origins, never shows secrets passed as settings or system properties
 * nor the content of queued jobs, and lets an operator do exactly the operations hawtio needs.
 */
class ManagementPlaneTest extends GatewayTestSupport {

    // Secrets as an operator passes them (-D / settings). Random per run, so a match can only come from this gateway.
    private static final String AZURE_ACCOUNT_KEY = "AzKey" + UUID.randomUUID().toString().replace("-", "");
    private static final String BROKER_PASSWORD = "broker-" + UUID.randomUUID();
    private static final String WEBHOOK_SECRET = "whsecret-" + UUID.randomUUID();
    private static final Map<String, String> SECRET_SETTINGS = Map.of(
            "gateway.azure.connection-string", "DefaultEndpointsProtocol=https;AccountName=octtest;AccountKey="
                    + AZURE_ACCOUNT_KEY + ";EndpointSuffix=core.windows.net",
            "gateway.broker.password", BROKER_PASSWORD,
            "gateway.webhook.secret", WEBHOOK_SECRET);
    private static final String HAWTIO_ORIGIN = "http://localhost:8090"; // a default of gateway.management.allowed-origins
    private static final String JOBS_QUEUE_MBEAN = "org.apache.activemq.artemis:broker=\"oct-gateway-broker\",component=addresses,"
            + "address=\"gateway.jobs\",subcomponent=queues,routing-type=\"anycast\",queue=\"gateway.jobs\"";

    @Override
    protected void overrideProperties(Properties properties) {
        // Both ways an operator passes them: as settings, and as JVM system properties (java -D...), which is what
        // java.lang:type=Runtime would show. Cleared again after this class.
        SECRET_SETTINGS.forEach(properties::setProperty);
        SECRET_SETTINGS.forEach(System::setProperty);
    }

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withEnableJMX(); // route MBeans, as the jar has them (camel.main.jmxEnabled)
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"grade\":1}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @AfterAll
    void forgetSecretSystemProperties() {
        SECRET_SETTINGS.keySet().forEach(System::clearProperty);
    }

    // ---- who can connect -------------------------------------------------------------------------

    @Test
    void managementPortListensOnLoopbackOnly() {
        assertEquals(200, getManagement("/observe/health").statusCode());
        List<InetAddress> listening = ListeningSockets.on(peers().managementPort);
        assertFalse(listening.isEmpty(), "nothing listens on the management port " + peers().managementPort);
        assertTrue(listening.stream().allMatch(InetAddress::isLoopbackAddress),
                "management port " + peers().managementPort + " listens on " + listening);
    }

    // ---- what a web page in the operator's browser can do ------------------------------------------------

    @Test
    void jolokiaRefusesGetRequests() {
        HttpResponse<String> read = getManagement("/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage");
        assertEquals(405, read.statusCode(), read.body());
        assertEquals("POST", read.headers().firstValue("Allow").orElse(""));
        assertJsonError(read, "method_not_allowed");

        String route = routeMBean("deliver-webhook");
        HttpResponse<String> stop = getManagement("/observe/jolokia/exec/" + URLEncoder.encode(route, StandardCharsets.UTF_8) + "/stop()");
        assertEquals(405, stop.statusCode(), stop.body());
        assertEquals("Started", routeState(route), "a GET stopped the route");
    }

    @Test
    void jolokiaRefusesPostsFromAForeignOrigin() {
        String route = routeMBean("deliver-webhook");
        String stop = exec(route, "stop()");

        HttpResponse<String> fromOrigin = postJolokia(stop, Map.of("Origin", "https://attacker.example"));
        assertEquals(403, fromOrigin.statusCode(), fromOrigin.body());
        assertJsonError(fromOrigin, "origin_not_allowed");
        assertTrue(fromOrigin.body().contains("gateway.management.allowed-origins"), fromOrigin.body());

        // a same-port trick: another service on localhost is another origin, too
        HttpResponse<String> otherLocalPort = postJolokia(stop, Map.of("Origin", "http://localhost:8091"));
        assertEquals(403, otherLocalPort.statusCode(), otherLocalPort.body());

        // no Origin, but the Referer names the foreign page
        HttpResponse<String> fromReferer = postJolokia(stop, Map.of("Referer", "https://attacker.example/page.html"));
        assertEquals(403, fromReferer.statusCode(), fromReferer.body());

        assertEquals("Started", routeState(route), "a foreign page stopped the route");
    }

    @Test
    void jolokiaAnswersHawtiosOrigin() {
        HttpResponse<String> version = postJolokia("{\"type\":\"version\"}", Map.of("Origin", HAWTIO_ORIGIN));
        assertEquals(200, version.statusCode(), version.body());
        assertEquals(200, json(version.body()).path("status").asInt(), version.body());
    }

    // ---- what Jolokia shows --------------------------------------------------------------------------

    @Test
    void jvmSystemPropertiesAndArgumentsAreNotReadable() {
        assertTrue(System.getProperty("gateway.broker.password", "").equals(BROKER_PASSWORD), "secret planted in this JVM");
        for (String attribute : List.of("SystemProperties", "InputArguments", "ClassPath")) {
            JsonNode answer = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"" + attribute + "\"}");
            assertEquals(403, answer.path("status").asInt(), attribute + ": " + answer);
        }
        JsonNode all = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\"}");
        assertFalse(all.toString().contains(BROKER_PASSWORD), all.toString());
        assertFalse(all.toString().contains("java.version"), "system properties in " + all);
    }

    @Test
    void readingEveryMBeanShowsNoSecretNorQueuedJob() {
        String worker = routeMBean("job-worker");
        String token = "tok" + UUID.randomUUID().toString().replace("-", "");
        String examinationId = "exam-" + UUID.randomUUID();
        String webhook = webhookUrl("/hooks/management-plane-" + UUID.randomUUID()) + "?token=" + token;
        try {
            // The worker is stopped, so the job waits in the queue, where FirstMessageAsJSON would show it.
            assertEquals(200, jolokia(exec(worker, "stop()")).path("status").asInt());
            accepted(uploadImage("scan.png", "image/png", TestImages.png(44),
                    Map.of("Webhook-Url", webhook, "Examination-ID", examinationId)));
            await("job waiting in the queue").atMost(DELIVERY_TIMEOUT)
                    .until(() -> jolokia(read(JOBS_QUEUE_MBEAN, "MessageCount")).path("value").asInt() == 1);

            // hawtio's way: all attributes of every MBean, errors in place of what is refused
            JsonNode everything = jolokia("{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}");
            assertEquals(200, everything.path("status").asInt(), "bulk read refused as a whole");
            String text = everything.toString();
            assertTrue(text.contains("HeapMemoryUsage") && text.contains("MessageCount"), "the bulk read read little");
            for (String secret : List.of(AZURE_ACCOUNT_KEY, BROKER_PASSWORD, WEBHOOK_SECRET, token, examinationId)) {
                assertFalse(text.contains(secret), "Jolokia shows " + secret);
            }

            JsonNode firstMessage = jolokia(read(JOBS_QUEUE_MBEAN, "FirstMessageAsJSON"));
            assertEquals(403, firstMessage.path("status").asInt(), firstMessage.toString());
            JsonNode browse = jolokia(exec(JOBS_QUEUE_MBEAN, "browse()"));
            assertEquals(403, browse.path("status").asInt(), browse.toString());
            JsonNode list = jolokia(exec(JOBS_QUEUE_MBEAN, "listMessagesAsJSON(java.lang.String)", "\"\""));
            assertEquals(403, list.path("status").asInt(), list.toString());
        } finally {
            jolokia(exec(worker, "start()"));
        }
        assertEquals("Started", routeState(worker));

        // Once delivered, the webhook URL (with its token) was an endpoint of the gateway: not shown either.
        String hookPath = webhook.substring(webhook.indexOf("/hooks/"), webhook.indexOf('?'));
        await("delivered").atMost(DELIVERY_TIMEOUT).until(() -> !webhookCalls(hookPath).isEmpty());
        String afterDelivery = jolokia("{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}").toString();
        String metrics = getManagement("/observe/metrics").body();
        for (String secret : List.of(token, examinationId)) {
            assertFalse(afterDelivery.contains(secret), "Jolokia shows " + secret + " after delivery");
            assertFalse(metrics.contains(secret), "/observe/metrics shows " + secret);
        }
    }

    // ---- what an operator can do --------------------------------------------------------------------------

    @Test
    void operatorsOperationsWorkAndOthersAreRefused() {
        String route = routeMBean("deliver-webhook");
        try {
            assertEquals(200, jolokia(exec(route, "suspend()")).path("status").asInt());
            assertEquals(200, jolokia(exec(route, "resume()")).path("status").asInt());
            assertEquals(200, jolokia(exec(route, "stop()")).path("status").asInt());
            assertEquals("Stopped", routeState(route));
            assertEquals(200, jolokia(exec(route, "start()")).path("status").asInt());
            assertEquals("Started", routeState(route));
        } finally {
            jolokia(exec(route, "start()"));
        }
        JsonNode replay = jolokia(exec("org.octgateway:type=operations,name=deadLetters", "replayDeadLetters()"));
        assertEquals(200, replay.path("status").asInt(), replay.toString());
        assertEquals(0, replay.path("value").asInt(), replay.toString());
        String context = contextMBean();
        JsonNode dump = jolokia(exec(context, "dumpRoutesAsXml()"));
        assertEquals(200, dump.path("status").asInt(), dump.toString());
        assertTrue(dump.path("value").asText().contains("job-worker"), "route dump without routes");

        // resolving {{placeholders}} in the dump, writing attributes, JVM and broker operations: refused
        assertRefused(exec(context, "dumpRoutesAsXml(boolean)", "true"));
        assertRefused("{\"type\":\"write\",\"mbean\":" + JSON.valueToTree(route) + ",\"attribute\":\"Tracing\",\"value\":true}");
        assertRefused(exec("java.lang:type=Memory", "gc()"));
        assertRefused(exec(JOBS_QUEUE_MBEAN, "removeAllMessages()"));
        assertRefused(exec(context, "stop()"));
    }

    // ---- what Jolokia answers to requests it cannot read ------------------------------------------------------

    @Test
    void jolokiaRefusesBodiesThatAreNoJolokiaRequestWithAJsonError() {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("not JSON", "not json at all");
        bodies.put("truncated JSON", "{\"type\":\"read\"");
        bodies.put("trailing content", "{\"type\":\"version\"} x");
        bodies.put("an empty body", "");
        bodies.put("a JSON string", "\"version\"");
        bodies.put("an empty bulk", "[]");
        bodies.put("a bulk of numbers", "[1,2]");
        bodies.put("no type", "{\"mbean\":\"java.lang:type=Memory\"}");
        bodies.put("an unknown type", "{\"type\":\"shutdown\"}");
        bodies.put("a type that is no string", "{\"type\":[\"read\"]}");
        bodies.put("an unknown type in a bulk", "[{\"type\":\"version\"},{\"type\":\"notification\"}]");
        bodies.put("a read without an MBean", "{\"type\":\"read\"}");
        bodies.put("a malformed MBean name", "{\"type\":\"read\",\"mbean\":\"no-colon\"}");
        bodies.put("an MBean name that is no string", "{\"type\":\"read\",\"mbean\":{\"domain\":\"java.lang\"}}");
        bodies.put("an exec without an operation", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\"}");
        bodies.put("arguments that are no array",
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\",\"arguments\":\"x\"}");
        bodies.put("a config that is no object", "{\"type\":\"version\",\"config\":[1]}");
        bodies.put("a processing option that is no value", "{\"type\":\"version\",\"config\":{\"ignoreErrors\":[1]}}");
        bodies.put("a proxy target", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"target\":\"x\"}");
        bodies.put("a proxy target in a bulk", "[{\"type\":\"version\"},{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\","
                + "\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://attacker.example:1099/jmxrmi\"}}]");
        bodies.put("a duplicate key", "{\"type\":\"version\",\"type\":\"shutdown\"}");
        bodies.put("a deep nesting", "[".repeat(5000) + "]".repeat(5000));
        bodies.put("a deep nesting in an argument", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\","
                + "\"arguments\":" + "[".repeat(50) + "]".repeat(50) + "}");
        bodies.forEach((what, body) -> {
            HttpResponse<String> answer = postJolokia(body, Map.of());
            assertEquals(400, answer.statusCode(), what + ": " + answer.body());
            assertJsonError(answer, "invalid_request");
            assertNoJavaNames(what, answer);
        });
    }

    @Test
    void jolokiaRefusesABodyLargerThanAMegabyteBeforeReadingIt() {
        String huge = "{\"type\":\"version\",\"pad\":\"" + "p".repeat(1024 * 1024) + "\"}";
        HttpResponse<String> answer = postJolokia(huge, Map.of());
        assertEquals(413, answer.statusCode(), answer.body());
        assertJsonError(answer, "request_too_large");

        // sent in chunks, without a Content-Length: cut at the limit while it is read
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(management("/observe/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))));
        assertEquals(413, chunked.statusCode(), chunked.body());
    }

    @Test
    void jolokiaShowsNoStackTraceEvenWhenAsked() {
        String unknown = "{\"type\":\"read\",\"mbean\":\"org.octgateway:type=nothing\"";
        HttpResponse<String> inConfig = postJolokia(unknown + ",\"config\":{\"includeStackTrace\":true}}", Map.of());
        assertEquals(400, inConfig.statusCode(), inConfig.body());
        assertJsonError(inConfig, "invalid_request");
        HttpResponse<String> serialized = postJolokia(unknown + ",\"config\":{\"serializeException\":\"true\"}}", Map.of());
        assertEquals(400, serialized.statusCode(), serialized.body());
        HttpResponse<String> inQuery = send(HttpRequest.newBuilder(management("/observe/jolokia?includeStackTrace=runtime&includeStackTrace=false"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(unknown + "}")));
        assertEquals(400, inQuery.statusCode(), inQuery.body());
        assertFalse(inQuery.body().contains("\tat "), inQuery.body());
        byte[] read = (unknown + "}").getBytes(StandardCharsets.UTF_8);
        RawConnection.Response badQuery;
        try (RawConnection client = new RawConnection(peers().managementPort)) {
            client.head("POST /observe/jolokia?includeStackTrace=%zz HTTP/1.1", "Content-Type: application/json",
                    "Content-Length: " + read.length, "Connection: close").send(read);
            badQuery = client.answer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(400, badQuery.status(), badQuery.body());
        assertEquals("invalid_request", json(badQuery.body()).path("error").asText(), badQuery.body());

        // the default: an error without stack trace (Jolokia names the exception type, in the JSON of a 200)
        JsonNode plain = jolokia(unknown + ",\"config\":{\"includeStackTrace\":false}}");
        assertEquals(404, plain.path("status").asInt(), plain.toString());
        assertTrue(plain.path("stacktrace").isMissingNode(), plain.toString());
    }

    @Test
    void clientMistakesInReadableRequestsAreAnsweredInTheJsonNeverWithAServerError() {
        String route = routeMBean("deliver-webhook");
        Map<String, String> mistakes = new java.util.LinkedHashMap<>();
        mistakes.put("an unknown MBean", read("org.octgateway:type=nothing", "State"));
        mistakes.put("an unknown attribute", read(route, "NoSuchAttribute"));
        mistakes.put("an unknown list path", "{\"type\":\"list\",\"path\":\"nothing/at/all\"}");
        mistakes.put("an unknown operation", exec(route, "explode()"));
        mistakes.put("an operation with wrong arguments", exec(route, "stop(long)", "\"soon\""));
        mistakes.put("a processing option that is no number", "{\"type\":\"version\",\"config\":{\"maxDepth\":\"deep\"}}");
        mistakes.put("a list path too long", "{\"type\":\"list\",\"path\":\"java.lang/type=Memory/op/x/y/z\"}");
        mistakes.forEach((what, request) -> {
            HttpResponse<String> answer = postJolokia(request, Map.of());
            assertEquals(200, answer.statusCode(), what + ": " + answer.body());
            int status = json(answer.body()).path("status").asInt();
            assertTrue(status >= 400 && status < 500, what + ": " + answer.body());
            assertFalse(answer.body().contains("\tat ") || answer.body().contains("stacktrace"), what + ": " + answer.body());
        });
        assertEquals("Started", routeState(route));
    }

    @Test
    void hawtiosBulkRequestsStillWork() {
        String route = routeMBean("deliver-webhook");
        // the shape hawtio's Jolokia client sends: a bulk array, processing options in each request's config
        String bulk = "[{\"type\":\"version\"},"
                + "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\",\"config\":{\"ignoreErrors\":true}},"
                + "{\"type\":\"list\",\"path\":\"org.apache.camel\",\"config\":{\"maxDepth\":7,\"maxCollectionSize\":50000,"
                + "\"canonicalNaming\":false,\"ignoreErrors\":true}},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":[\"HeapMemoryUsage\",\"ObjectPendingFinalizationCount\"]},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"},"
                + exec(route, "suspend()") + "," + exec(route, "resume()") + "]";
        HttpResponse<String> answer = postJolokia(bulk, Map.of("Origin", HAWTIO_ORIGIN));
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode answers = json(answer.body());
        assertEquals(7, answers.size(), answer.body());
        for (int i : List.of(0, 1, 2, 3, 5, 6)) {
            assertEquals(200, answers.path(i).path("status").asInt(), i + ": " + answers.path(i));
        }
        assertEquals(403, answers.path(4).path("status").asInt(), "the access policy still applies: " + answers.path(4));
        assertEquals("Started", routeState(route));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private void assertRefused(String request) {
        JsonNode answer = jolokia(request);
        assertEquals(403, answer.path("status").asInt(), request + " -> " + answer);
    }

    private static void assertJsonError(HttpResponse<String> answer, String code) {
        JsonNode body = json(answer.body());
        assertEquals("error", body.path("status").asText(), answer.body());
        assertEquals(code, body.path("error").asText(), answer.body());
        assertFalse(body.path("message").asText().isBlank(), answer.body());
    }

    private static void assertNoJavaNames(String what, HttpResponse<String> answer) {
        for (String javaName : List.of("Exception", "java.", "org.jolokia", "com.fasterxml", "\tat ")) {
            assertFalse(answer.body().contains(javaName), what + " shows " + javaName + ": " + answer.body());
        }
    }

    private HttpResponse<String> postJolokia(String request, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(management("/observe/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request));
        headers.forEach(builder::header);
        return send(builder);
    }

    private String routeMBean(String routeId) {
        JsonNode answer = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        for (JsonNode name : answer.path("value")) {
            if (name.asText().matches(".*name=\"?" + routeId + "\"?(,.*|$)")) {
                return name.asText();
            }
        }
        throw new AssertionError("no route MBean for " + routeId + " in " + answer);
    }

    private String contextMBean() {
        JsonNode answer = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=context,*\"}");
        return answer.path("value").path(0).asText();
    }

    private String routeState(String mbean) {
        return jolokia(read(mbean, "State")).path("value").asText();
    }

    private static String read(String mbean, String attribute) {
        return "{\"type\":\"read\",\"mbean\":" + JSON.valueToTree(mbean) + ",\"attribute\":\"" + attribute + "\"}";
    }

    private static String exec(String mbean, String operation, String... arguments) {
        return "{\"type\":\"exec\",\"mbean\":" + JSON.valueToTree(mbean) + ",\"operation\":\"" + operation + "\""
                + (arguments.length == 0 ? "" : ",\"arguments\":[" + String.join(",", arguments) + "]") + "}";
    }
}
