package org.octgateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The container image, built and run without a registry: a JRE 17 base image from Debian packages (mmdebstrap,
 * podman import; kept in podman's image store for the next run), the gateway's image from the Containerfile with
 * BASE_IMAGE set to it, run as a non-root user with environment settings only, on the host's network: it answers
 * /ping and carries an upload through to a webhook on the host. Skipped, saying why, where podman or mmdebstrap is
 * missing (.ci/run installs them).
 */
class ContainerImageIT {

    private static final String BASE_IMAGE = "localhost/oct-gateway-base-jre17:bookworm";
    private static final String IMAGE = "localhost/oct-inference-gateway:it";
    private static final Path WORK = Path.of("target", "container-it").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer peers = new WireMockServer(options().dynamicPort());
    private final String container = "oct-gateway-it-" + ProcessHandle.current().pid();

    @AfterEach
    void removeContainerAndPeers() throws Exception {
        if (onPath("podman")) {
            run(Duration.ofSeconds(60), "podman", "rm", "--force", "--ignore", container);
        }
        peers.stop();
    }

    @Test
    void theImageBuiltFromADebianBaseAnswersPingAndDeliversAnUpload() throws Exception {
        Assumptions.assumeTrue(onPath("podman") && Files.isExecutable(Path.of("/usr/sbin/runc")),
                "podman and runc are not installed (apt-get install podman runc mmdebstrap; .ci/run does): image not built");
        Files.createDirectories(WORK);
        if (run(Duration.ofSeconds(30), "podman", "image", "exists", BASE_IMAGE) != 0) {
            Assumptions.assumeTrue(onPath("mmdebstrap"), "mmdebstrap is not installed: no base image to build on");
            Path rootfs = WORK.resolve("rootfs.tar");
            assertEquals(0, run(Duration.ofMinutes(5), "mmdebstrap", "--variant=minbase",
                    "--include=openjdk-17-jre-headless", "bookworm", rootfs.toString()), "mmdebstrap");
            assertEquals(0, run(Duration.ofMinutes(2), "podman", "import", rootfs.toString(), BASE_IMAGE), "podman import");
            Files.delete(rootfs);
        }
        assertEquals(0, run(Duration.ofMinutes(3), "podman", "build", "--runtime", "/usr/sbin/runc",
                "--build-arg", "BASE_IMAGE=" + BASE_IMAGE, "-t", IMAGE, "-f", "Containerfile", "."), "podman build");

        peers.start();
        peers.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}")));
        peers.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        int httpPort = TestPorts.free();
        int managementPort = TestPorts.free();
        assertEquals(0, run(Duration.ofMinutes(1), "podman", "run", "--runtime", "/usr/sbin/runc", "--detach",
                "--name", container, "--network", "host", "--memory", "768m",
                "--env", "CAMEL_SERVER_PORT=" + httpPort,
                "--env", "CAMEL_MANAGEMENT_PORT=" + managementPort,
                "--env", "GATEWAY_INFERENCE_URL=" + peers.baseUrl() + "/inference",
                "--env", "GATEWAY_WEBHOOK_ALLOWED_HOSTS=localhost",
                IMAGE), "podman run");

        URI ping = URI.create("http://localhost:" + httpPort + "/ping");
        await("the container answers /ping").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> GatewayProcess.status(ping) == 200);
        Multipart form = new Multipart().file("image", "scan.png", "image/png", TestImages.png(5));
        HttpResponse<String> answer = GatewayProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/invocations"))
                .header("Content-Type", form.contentType()).header("Webhook-Url", peers.baseUrl() + "/hook")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        String uuid = JSON.readTree(answer.body()).path("request_uuid").asText();
        await("the webhook on the host gets the result").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> !peers.findAll(postRequestedFor(urlPathEqualTo("/hook"))).isEmpty());
        JsonNode envelope = JSON.readTree(peers.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0).getBodyAsString());
        assertEquals(uuid, envelope.path("request_uuid").asText());
        assertEquals("completed", envelope.path("status").asText(), envelope.toString());

        assertEquals(0, run(Duration.ofSeconds(30), "podman", "exec", container, "sh", "-c",
                "test \"$(id -u)\" = 10001 && test -d /app/data/broker"), "runs as user 10001, its data in the volume");
        // gateway.queue.consumer-nice as shipped (10): an unprivileged user may lower its own threads' priority, and
        // JNA finds a place for its native part in the image; the nice value is field 19 of a thread's stat
        assertEquals(0, run(Duration.ofSeconds(30), "podman", "exec", container, "sh", "-c", """
                nices=$(for task in /proc/[0-9]*/task/*; do
                  case "$(cat "$task/comm" 2>/dev/null)" in job-worker-*) read -r stat < "$task/stat"; set -- ${stat#*) }; echo "${17}";; esac
                done | sort -u)
                echo "job-worker nice values: $nices"; test "$nices" = 10"""), "the job-worker threads run at nice 10");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a command with podman's configuration for these machines (no default ulimits: crun/runc fail on
     * RLIMIT_NOFILE otherwise), its output in target/container-it/commands.log; its exit status.
     */
    private static int run(Duration bound, String... command) throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        Path conf = WORK.resolve("containers.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
        }
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("commands.log").toFile()));
        builder.environment().put("CONTAINERS_CONF", conf.toString());
        Process process = builder.start();
        if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
