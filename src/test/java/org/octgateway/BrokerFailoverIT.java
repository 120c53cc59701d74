package org.octgateway;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker HA URL at work: a primary/backup pair of standalone Artemis brokers on one shared store (static
 * connectors on loopback, deploy/broker.xml put in), a gateway on {@code (tcp://primary,tcp://backup)?ha=true&
 * reconnectAttempts=-1}; {@code kill -9} of the primary under load: the backup takes over, the gateway follows it by
 * itself and every accepted job is delivered.
 */
class BrokerFailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "broker-failover-it").toAbsolutePath();

    private final WireMockServer peers = new WireMockServer(options().dynamicPort().containerThreads(40));
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable each : started) {
            each.close();
        }
        peers.stop();
    }

    @Test
    void whenThePrimaryDiesUnderLoadTheGatewayFailsOverToTheBackupAndDeliversEveryJob() throws Exception {
        peers.start();
        peers.stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}").withFixedDelay(200)));
        peers.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));

        String pair = "pair-" + System.nanoTime();
        Path shared = WORK.resolve(pair).resolve("shared-store");
        int primaryPort = TestPorts.free();
        int backupPort = TestPorts.free();
        String[] cluster = {"--shared-store", "--failover-on-shutdown", "--clustered", "--cluster-user", "cluster",
                "--cluster-password", "cluster-password-for-tests", "--data", shared.toString()};
        StandaloneArtemis primary = StandaloneArtemis.create(WORK.resolve(pair), "primary", primaryPort,
                concat(cluster, "--static-cluster", "tcp://127.0.0.1:" + backupPort)).withGatewayFragment().start();
        started.add(primary);
        StandaloneArtemis backup = StandaloneArtemis.create(WORK.resolve(pair), "backup", backupPort,
                concat(cluster, "--backup", "--static-cluster", "tcp://127.0.0.1:" + primaryPort)).withGatewayFragment().startBackup();
        started.add(backup);

        Path dir = GatewayProcess.workingCopy(WORK, "gateway-");
        GatewayProcess gateway = new GatewayProcess(dir, dir.resolve("gateway.log"), List.of("-Xmx256m"), Map.of(
                "gateway.broker.url", "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort
                        + ")?ha=true&reconnectAttempts=-1&retryInterval=200&maxRetryInterval=1000",
                "gateway.broker.username", StandaloneArtemis.USER,
                "gateway.broker.password", StandaloneArtemis.PASSWORD,
                "gateway.broker.require-settings", "true",
                "gateway.data-dir", dir.resolve("data").toString(),
                "gateway.inference.url", peers.baseUrl() + "/inference",
                "gateway.webhook.allowed-hosts", "localhost",
                "camel.main.shutdownTimeout", "5"));
        started.add(gateway::kill);
        gateway.awaitPing(Duration.ofSeconds(90));

        Set<String> accepted = new TreeSet<>();
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> answer = gateway.upload("ha-" + i + ".png", TestImages.png(4000 + i), peers.baseUrl() + "/hook");
            assertEquals(200, answer.statusCode(), answer.body());
            accepted.add(JSON.readTree(answer.body()).path("request_uuid").asText());
        }
        await("work under way").atMost(Duration.ofSeconds(30)).until(() -> delivered().size() >= 8);
        long killed = System.nanoTime();
        primary.kill();
        await("the gateway follows the backup").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> backup.listens() && gateway.pingStatus() == 200 && delivered().size() > 8);
        long failoverMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        await("every job delivered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> delivered().containsAll(accepted));
        assertTrue(gateway.process.isAlive());
        System.out.println("BrokerFailoverIT: failover to the backup, gateway answering and delivering again after "
                + failoverMs + " ms; " + accepted.size() + " jobs delivered");
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private Set<String> delivered() {
        return WebhookEnvelopes.completed(peers, "/hook").keySet();
    }
}
