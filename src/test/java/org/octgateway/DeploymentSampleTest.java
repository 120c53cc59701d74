package org.octgateway;

import java.io.FileReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample deployment agrees with the shipped settings: Kubernetes' grace period outlasts the gateway's own
 * shutdown timeout (else the pod is killed mid-shutdown), the probes ask the management port's live and ready paths,
 * and the scaling rule reads the backlog once per broker, not summed over pods.
 */
class DeploymentSampleTest {

    @Test
    void theGracePeriodOutlastsTheShutdownTimeoutAndTheProbesAndScalingReadTheRightSeries() throws Exception {
        Properties shipped = new Properties();
        try (Reader reader = new FileReader("application.properties")) {
            shipped.load(reader);
        }
        int shutdownTimeout = Integer.parseInt(shipped.getProperty("camel.main.shutdownTimeout"));
        assertTrue(shutdownTimeout < 30, "below Kubernetes' default grace period of 30 s: " + shutdownTimeout);

        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(
                Files.readString(Path.of("deploy", "kubernetes.yaml")))) {
            documents.add(map(document));
        }
        Map<String, Object> deployment = documents.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        int grace = ((Number) pod.get("terminationGracePeriodSeconds")).intValue();
        assertTrue(grace > shutdownTimeout, "terminationGracePeriodSeconds " + grace + " > shutdownTimeout " + shutdownTimeout);
        assertEquals(10001, ((Number) map(pod.get("securityContext")).get("runAsUser")).intValue(), "the image's user");

        Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));
        assertEquals("/observe/health/live", map(map(container.get("livenessProbe")).get("httpGet")).get("path"));
        assertEquals("/observe/health/ready", map(map(container.get("readinessProbe")).get("httpGet")).get("path"));

        Map<String, Object> scaling = documents.stream().filter(d -> "ScaledObject".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> trigger = map(((List<?>) map(scaling.get("spec")).get("triggers")).get(0));
        String query = (String) map(trigger.get("metadata")).get("query");
        assertTrue(query.startsWith("max by (broker) (gateway_queue_backlog"), query);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }
}
