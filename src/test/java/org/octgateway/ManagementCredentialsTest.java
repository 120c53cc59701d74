package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator opens the management port to the network (camel.management.host=0.0.0.0) with credentials, as
 * README describes: every management path then asks for them (401 without or with a wrong password, 200 with).
 * The test connects over loopback only; the wildcard address includes it.
 */
class ManagementCredentialsTest extends GatewayTestSupport {

    private static final String USER = "operator";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @Override
    protected void overrideProperties(Properties properties) {
        Path users = peers().dataDir.resolve("management-users.properties");
        try {
            Files.writeString(users, "user." + USER + " = " + PASSWORD + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.setProperty("camel.management.host", "0.0.0.0");
        properties.setProperty("camel.management.authenticationEnabled", "true");
        properties.setProperty("camel.management.basicPropertiesFile", users.toString());
    }

    @Test
    void managementPortIsOpenToTheNetworkAsConfigured() {
        assertEquals(401, getManagement("/observe/health").statusCode()); // it is up, and asks
        List<InetAddress> listening = ListeningSockets.on(peers().managementPort);
        assertTrue(listening.stream().anyMatch(InetAddress::isAnyLocalAddress), "listens on " + listening);
    }

    @Test
    void healthAndMetricsAskForCredentials() {
        for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/metrics")) {
            HttpResponse<String> anonymous = getManagement(path);
            assertEquals(401, anonymous.statusCode(), path);
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
            assertFalse(anonymous.body().contains("UP") || anonymous.body().contains("jvm_"), path + ": " + anonymous.body());

            assertEquals(401, send(HttpRequest.newBuilder(management(path)).header("Authorization", basic(USER, "wrong")).GET())
                    .statusCode(), path + " with a wrong password");
            HttpResponse<String> operator = send(HttpRequest.newBuilder(management(path))
                    .header("Authorization", basic(USER, PASSWORD)).GET());
            assertEquals(200, operator.statusCode(), path + ": " + operator.body());
        }
    }

    @Test
    void jolokiaAsksForCredentials() {
        String version = "{\"type\":\"version\"}";
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(management("/observe/jolokia"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(version)));
        assertEquals(401, anonymous.statusCode(), anonymous.body());

        HttpResponse<String> operator = send(HttpRequest.newBuilder(management("/observe/jolokia"))
                .header("Content-Type", "application/json").header("Authorization", basic(USER, PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString(version)));
        assertEquals(200, operator.statusCode(), operator.body());
        assertEquals(200, json(operator.body()).path("status").asInt(), operator.body());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
