package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone ActiveMQ Artemis broker as an operator runs one: an instance made by {@code artemis create} from the
 * distribution the build unpacks (target/artemis, Maven Central's org.apache.activemq:apache-artemis tar.gz), run
 * as its own process ({@code bin/artemis run}), on loopback only. Only the process started here is ever signalled.
 */
final class StandaloneArtemis implements AutoCloseable {

    static final String USER = "gateway-user";
    static final String PASSWORD = "gateway-password-for-tests";

    final int port;
    final Path instance;
    private final Path log;
    private Process process;

    private StandaloneArtemis(Path instance, int port) {
        this.instance = instance;
        this.port = port;
        this.log = instance.resolve("run.log");
    }

    /** The unpacked distribution; the ITs need it (mvn verify unpacks it in pre-integration-test). */
    static Path home() {
        Path home = Path.of(System.getProperty("artemis.home", "target/artemis/apache-artemis-2.44.0")).toAbsolutePath();
        assertTrue(Files.isExecutable(home.resolve("bin/artemis")), "no Artemis distribution at " + home + " (run mvn verify)");
        return home;
    }

    /**
     * {@code artemis create} with the given extra options, its user in the role "gateway", on {@code port}; as it
     * comes (Artemis' default settings: no redelivery delay, dead letters to DLQ, every permission for the role).
     */
    static StandaloneArtemis create(Path parent, String name, int port, String... options) throws Exception {
        Files.createDirectories(parent);
        Path instance = parent.toAbsolutePath().resolve(name);
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/artemis").toString(), "create",
                "--silent", "--user", USER, "--password", PASSWORD, "--role", "gateway", "--require-login",
                "--host", "127.0.0.1", "--http-host", "127.0.0.1", "--default-port", Integer.toString(port), "--nio",
                "--no-autotune", "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor", "--no-web"));
        command.addAll(List.of(options));
        command.add(instance.toString());
        Process create = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(parent.resolve(name + "-create.log").toFile()).start();
        assertTrue(create.waitFor(120, TimeUnit.SECONDS), "artemis create did not finish");
        assertEquals(0, create.exitValue(), "artemis create failed; see " + parent.resolve(name + "-create.log"));
        return new StandaloneArtemis(instance, port);
    }

    /**
     * Puts deploy/broker.xml in: its address-setting into the broker's address-settings, its security-settings in place
     * of the broker's own, so the gateway's user can do exactly what the fragment grants and nothing more.
     */
    StandaloneArtemis withGatewayFragment() throws IOException {
        String fragment = Files.readString(Path.of("deploy", "broker.xml"));
        fragment = fragment.substring(fragment.indexOf("<core")); // past the comment that names the elements
        String addressSetting = between(fragment, "<address-settings>", "</address-settings>");
        String securitySettings = between(fragment, "<security-settings>", "</security-settings>");
        Path brokerXml = instance.resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml);
        xml = xml.replaceFirst("(?m)^(\\s*)<address-settings>", "$1<address-settings>\n"
                + java.util.regex.Matcher.quoteReplacement(addressSetting));
        java.util.regex.Matcher open = java.util.regex.Pattern.compile("(?m)^\\s*<security-settings>").matcher(xml);
        assertTrue(open.find(), "broker.xml has security-settings");
        int from = open.start();
        int to = xml.indexOf("</security-settings>", from);
        assertTrue(from > 0 && to > from, "broker.xml has security-settings");
        xml = xml.substring(0, from) + "<security-settings>" + securitySettings + xml.substring(to);
        Files.writeString(brokerXml, xml);
        return this;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from);
        assertTrue(from >= 0 && to > from, start + " in deploy/broker.xml");
        return text.substring(from + start.length(), to);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it listens. */
    StandaloneArtemis start() throws IOException {
        launch();
        await("broker on " + port + " listens").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertTrue(process.isAlive(), "the broker exited; see " + log);
                    return listens();
                });
        return this;
    }

    /** Starts a shared-store backup, which listens only once it takes over: waits until it has announced itself. */
    StandaloneArtemis startBackup() throws IOException {
        launch();
        await("backup on " + port + " announced").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertTrue(process.isAlive(), "the backup exited; see " + log);
                    return logText().contains("AMQ221031");
                });
        return this;
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    boolean listens() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** kill -9: no shutdown, as a crash or an OOM kill ends it. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the broker did not die");
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
