package org.octgateway;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway jar as a child process, as an operator runs it: {@code java -jar} in a working directory
 * of its own (its routes/ and application.properties), on free ports, its log in a file.
 * Only processes started here are ever signalled.
 */
final class GatewayProcess {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final int httpPort = TestPorts.free();
    final int managementPort = TestPorts.free();
    final Path workDir;
    final Path log;
    final Process process;

    GatewayProcess(Path workDir, Path log, Map<String, String> settings) {
        this(workDir, log, List.of(), settings);
    }

    /** @param jvmOptions options of the JVM itself, e.g. {@code -Xmx512m} */
    GatewayProcess(Path workDir, Path log, List<String> jvmOptions, Map<String, String> settings) {
        this(workDir, log, jvmOptions, settings, false);
    }

    /**
     * The jar configured as a container is: by environment variables only, no {@code -D}. The ports go in
     * {@code CAMEL_SERVER_PORT} and {@code CAMEL_MANAGEMENT_PORT}; {@code environment} holds the other variables by
     * name (GATEWAY_DATA_DIR, ...). CAMEL_* and GATEWAY_* variables of the test's own environment are not passed on.
     */
    static GatewayProcess configuredByEnvironment(Path workDir, Path log, Map<String, String> environment) {
        return new GatewayProcess(workDir, log, List.of(), environment, true);
    }

    private GatewayProcess(Path workDir, Path log, List<String> jvmOptions, Map<String, String> settings,
            boolean byEnvironment) {
        this.workDir = workDir;
        this.log = log;
        String jar = Path.of(System.getProperty("gateway.jar", "target/oct-inference-gateway.jar")).toAbsolutePath().toString();
        assertTrue(new File(jar).isFile(), "build the jar first (mvn package): " + jar);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (!byEnvironment) {
            command.add("-Dcamel.server.port=" + httpPort);
            command.add("-Dcamel.management.port=" + managementPort);
            settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        }
        command.add("-jar");
        command.add(jar);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (byEnvironment) {
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("CAMEL_") || name.startsWith("GATEWAY_"));
            environment.put("CAMEL_SERVER_PORT", Integer.toString(httpPort));
            environment.put("CAMEL_MANAGEMENT_PORT", Integer.toString(managementPort));
            environment.putAll(settings);
        }
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A working directory like the repository root: a copy of routes/ and application.properties. */
    static Path workingCopy(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent.toAbsolutePath(), prefix);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        return dir;
    }

    GatewayProcess awaitPing(Duration bound) {
        await("gateway on " + httpPort + " answers /ping 200").atMost(bound).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertTrue(process.isAlive(), "the gateway exited; see " + log);
                    return pingStatus() == 200;
                });
        return this;
    }

    /** /ping's status, or -1 when the connection is refused or fails. */
    int pingStatus() {
        return status(business("/ping"));
    }

    /** The status of a GET of {@code uri}, or -1 when the connection is refused or fails. */
    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    URI business(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    URI management(String path) {
        return URI.create("http://localhost:" + managementPort + path);
    }

    HttpResponse<String> upload(String filename, byte[] png, String webhookUrl) {
        Multipart form = new Multipart().file("image", filename, "image/png", png);
        try {
            return HTTP.send(HttpRequest.newBuilder(business("/invocations"))
                    .header("Content-Type", form.contentType())
                    .header("Webhook-Url", webhookUrl)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> getManagement(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(management(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This child's threads as jstack prints them, each followed by a blank line; or why they could not be read. */
    String threadDump() {
        try {
            Process jstack = new ProcessBuilder("jstack", Long.toString(process.pid())).redirectErrorStream(true).start();
            return new String(jstack.getInputStream().readAllBytes());
        } catch (IOException e) {
            return "jstack failed: " + e;
        }
    }

    /** Ends this child (and only it) if it is still running. */
    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

}
