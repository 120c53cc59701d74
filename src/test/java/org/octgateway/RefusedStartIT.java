package org.octgateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start refused while the routes are built ends the jar's process, although the embedded broker and the state
 * store began starting on threads of their own before (EmbeddedBroker, StateStoreStart): nothing is left running.
 */
class RefusedStartIT {

    private GatewayProcess gateway;

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.kill();
        }
    }

    @Test
    void aRouteThatCannotBeCreatedEndsTheProcess() throws Exception {
        Path workDir = GatewayProcess.workingCopy(Path.of("target", "test-data"), "refused-start-");
        Files.writeString(workDir.resolve("routes").resolve("broken.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: direct:broken
                      steps:
                        - to: no-such-component:anywhere
                """);
        gateway = new GatewayProcess(workDir, Path.of("target", "refused-start-it.log"),
                Map.of("gateway.data-dir", workDir.resolve("data").toString(), "gateway.demo.enabled", "false"));

        assertTrue(gateway.process.waitFor(90, TimeUnit.SECONDS), "the gateway kept running; see " + gateway.log);
        assertNotEquals(0, gateway.process.exitValue());
        String log = gateway.logText();
        assertTrue(log.contains("Failed to create route: broken"), log);
    }
}
