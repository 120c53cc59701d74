package org.octgateway;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Azurite, Microsoft's Azure Storage emulator, started by the tests themselves from the npm package the
 * build installs (src/test/node), in memory, on a free port.
 */
final class AzuriteServer implements AutoCloseable {

    /** Azurite's well-known development account and key (public, documented by Microsoft). */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final int port;
    private final Process process;

    AzuriteServer() throws IOException, InterruptedException {
        Path executable = Path.of("src/test/node/node_modules/.bin/azurite-blob").toAbsolutePath();
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("Azurite is not installed: run the build (mvn verify installs it with npm)");
        }
        port = TestPorts.free();
        Files.createDirectories(Path.of("target"));
        process = new ProcessBuilder(executable.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--inMemoryPersistence", "--disableTelemetry", "--silent")
                .redirectErrorStream(true)
                .redirectOutput(new File("target/azurite-" + port + ".log"))
                .start();
        awaitPort(Duration.ofSeconds(30));
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    private void awaitPort(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Azurite did not listen on " + port + " within " + timeout);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}
