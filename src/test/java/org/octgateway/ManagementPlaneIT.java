package org.octgateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar as an operator runs it, secrets on the command line ({@code java -D...}): the management port listens on
 * loopback, and nothing Jolokia shows contains those secrets (the JVM's InputArguments and SystemProperties would).
 * Opened to the network without credentials, the jar refuses to start and says which settings to set.
 */
class ManagementPlaneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private GatewayProcess gateway;

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.kill();
        }
    }

    @Test
    void secretsPassedOnTheCommandLineAreNotShownByJolokia() throws Exception {
        String accountKey = "AzKey" + UUID.randomUUID().toString().replace("-", "");
        String brokerPassword = "broker-" + UUID.randomUUID();
        String webhookSecret = "whsecret-" + UUID.randomUUID();
        Path workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "management-plane-");
        Map<String, String> settings = new HashMap<>(baseSettings(workDir));
        settings.put("gateway.azure.connection-string",
                "DefaultEndpointsProtocol=https;AccountName=octtest;AccountKey=" + accountKey + ";EndpointSuffix=core.windows.net");
        settings.put("gateway.broker.password", brokerPassword);
        settings.put("gateway.webhook.secret", webhookSecret);
        gateway = new GatewayProcess(workDir, Path.of("target", "management-plane-it.log"), settings);

        // From the first answer the management port gives, Jolokia is guarded (no window while the gateway starts).
        int first = firstManagementAnswer("/observe/jolokia/read/java.lang:type=Runtime/InputArguments");
        assertEquals(405, first, "the first GET to Jolokia, while the gateway was starting");
        gateway.awaitPing(Duration.ofSeconds(90));

        List<InetAddress> listening = ListeningSockets.on(gateway.managementPort);
        assertFalse(listening.isEmpty(), "nothing listens on " + gateway.managementPort);
        assertTrue(listening.stream().allMatch(InetAddress::isLoopbackAddress), "management port listens on " + listening);

        JsonNode runtime = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}");
        assertEquals(403, runtime.path("status").asInt(), runtime.toString());
        JsonNode everything = jolokia("{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}");
        assertEquals(200, everything.path("status").asInt(), "bulk read refused as a whole");
        String text = everything.toString();
        assertTrue(text.contains("HeapMemoryUsage"), "the bulk read read little");
        for (String secret : List.of(accountKey, brokerPassword, webhookSecret)) {
            assertFalse(text.contains(secret), "Jolokia shows " + secret);
        }
    }

    @Test
    void managementPortOpenToTheNetworkWithoutCredentialsStopsTheJar() throws Exception {
        Path workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "management-open-");
        Map<String, String> settings = new HashMap<>(baseSettings(workDir));
        settings.put("camel.management.host", "0.0.0.0");
        gateway = new GatewayProcess(workDir, Path.of("target", "management-open-it.log"), settings);

        assertTrue(gateway.process.waitFor(90, TimeUnit.SECONDS), "the gateway kept running");
        assertNotEquals(0, gateway.process.exitValue());
        String log = gateway.logText();
        assertTrue(log.contains("camel.management.host=0.0.0.0") && log.contains("camel.management.authenticationEnabled=true")
                && log.contains("camel.management.basicPropertiesFile"), log);
        assertFalse(log.contains("Embedded ActiveMQ Artemis broker started"), "the broker started before the refusal");
    }

    /** Polls until the management port answers, and returns that first status. */
    private int firstManagementAnswer(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(gateway.process.isAlive(), "the gateway exited; see " + gateway.log);
            try {
                return GatewayProcess.HTTP.send(HttpRequest.newBuilder(gateway.management(path)).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notListeningYet) {
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the management port never answered");
    }

    private static Map<String, String> baseSettings(Path workDir) {
        return Map.of("gateway.data-dir", workDir.resolve("data").toString(),
                "gateway.demo.enabled", "false");
    }

    private JsonNode jolokia(String request) throws IOException, InterruptedException {
        HttpResponse<String> answer = GatewayProcess.HTTP.send(HttpRequest.newBuilder(gateway.management("/observe/jolokia"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }
}
