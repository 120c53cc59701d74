package org.octgateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secure by default: a management port that would be reachable from other machines without credentials stops
 * the gateway at startup, with a message naming the settings, before anything listens.
 */
class ManagementStartupRefusalTest {

    @Test
    void openManagementPortWithoutCredentialsRefusesToStart() throws Exception {
        String message = failedStartup(Map.of("camel.management.host", "0.0.0.0"));
        assertTrue(message.contains("camel.management.host=0.0.0.0"), message);
        assertTrue(message.contains("camel.management.authenticationEnabled"), message);
        assertTrue(message.contains("camel.management.basicPropertiesFile"), message);
    }

    @Test
    void authenticationWithoutAUsersFileRefusesToStart() throws Exception {
        String message = failedStartup(Map.of("camel.management.host", "0.0.0.0",
                "camel.management.authenticationEnabled", "true"));
        assertTrue(message.contains("neither camel.management.basicPropertiesFile nor camel.management.jwtKeystoreType"), message);
    }

    @Test
    void usersFileWithoutAUserRefusesToStart() throws Exception {
        Path users = Files.createTempFile(dataDir(), "users", ".properties");
        Files.writeString(users, "# nobody yet\nrole.ops = *\n");
        String message = failedStartup(Map.of("camel.management.host", "10.1.2.3",
                "camel.management.authenticationEnabled", "true",
                "camel.management.basicPropertiesFile", users.toString()));
        assertTrue(message.contains("has no 'user.NAME = PASSWORD' line"), message);
    }

    @Test
    void managementEndpointsOnTheBusinessPortRefuseToStart() throws Exception {
        int port = TestPorts.free();
        String message = failedStartup(Map.of("camel.server.port", Integer.toString(port),
                "camel.management.port", Integer.toString(port)));
        assertTrue(message.contains("Give camel.management.port a port of its own"), message);
    }

    /** Starts the gateway as GatewayApplication does, with these settings; returns the startup failure's messages. */
    private static String failedStartup(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of(
                "camel.server.port", Integer.toString(TestPorts.free()),
                "camel.management.port", Integer.toString(TestPorts.free()),
                "gateway.data-dir", dataDir().toString()));
        all.putAll(settings);
        int managementPort = Integer.parseInt(all.get("camel.management.port"));
        Main main = new Main(GatewayApplication.class);
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true");
        GatewayApplication.configure(main.configure()); // started exactly as GatewayApplication starts it
        all.forEach(main::addOverrideProperty);
        try {
            Throwable failure = assertThrows(Throwable.class, main::start, "the gateway started");
            StringBuilder messages = new StringBuilder();
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                messages.append(cause.getMessage()).append('\n');
            }
            assertTrue(ListeningSockets.on(managementPort).isEmpty(), "the management port listens after all");
            return messages.toString();
        } finally {
            main.stop();
        }
    }

    private static Path dataDir() throws Exception {
        Files.createDirectories(GatewayTestSupport.TEST_DATA);
        return Files.createTempDirectory(GatewayTestSupport.TEST_DATA, "refused-");
    }
}
