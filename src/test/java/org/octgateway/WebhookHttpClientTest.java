package org.octgateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.octgateway.validation.WebhookAddressPolicy;
import org.octgateway.validation.WebhookAddressRefused;
import org.octgateway.delivery.WebhookDeadlineExceeded;
import org.octgateway.delivery.WebhookHostBusy;
import org.octgateway.delivery.WebhookHttpClient;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP client webhooks are called with (WebhookHttpClient, as camel-http builds it for routes/delivery.yaml),
 * against real sockets on loopback: refused addresses are never connected to, every attempt ends at its deadline,
 * an endless answer is not downloaded, and a host gets at most its share of attempts at once.
 */
class WebhookHttpClientTest {

    private static final Duration DEADLINE = Duration.ofMillis(1500);
    /** The shipped policy: no allow-lists, demo off. */
    private static final WebhookAddressPolicy SHIPPED = new WebhookAddressPolicy("", "", -1);

    private static CloseableHttpClient client(WebhookAddressPolicy policy, int perHostLimit) {
        HttpClientBuilder builder = HttpClientBuilder.create();
        new WebhookHttpClient(policy, DEADLINE, 4096, perHostLimit, 16).configureHttpClient(builder);
        return builder.build();
    }

    private static ClassicHttpResponse post(CloseableHttpClient client, String url) throws IOException {
        HttpPost post = new HttpPost(url);
        post.setEntity(new StringEntity("{\"status\":\"completed\"}"));
        return client.executeOpen(null, post, null);
    }

    /** A plain server on 127.0.0.1 that counts the connections it accepts and answers 204. */
    private static final class CountingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final AtomicInteger accepted = new AtomicInteger();

        CountingServer() throws IOException {
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        accepted.incrementAndGet();
                        connection.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aNameResolvingToLoopbackAndALoopbackLiteralAreNeverConnectedTo() throws Exception {
        try (CountingServer server = new CountingServer(); CloseableHttpClient client = client(SHIPPED, 2)) {
            for (String host : List.of("localhost", "127.0.0.1", "[::ffff:127.0.0.1]")) {
                IOException refused = assertThrows(IOException.class, () -> post(client, "http://" + host + ":" + server.socket.getLocalPort() + "/hook"));
                assertInstanceOf(WebhookAddressRefused.class, refused, host + ": " + refused);
                assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
            }
            Thread.sleep(200);
            assertEquals(0, server.accepted.get(), "no connection may reach the server");
        }
    }

    @Test
    void anAllowedSubnetIsConnectedTo() throws Exception {
        try (CountingServer server = new CountingServer();
             CloseableHttpClient client = client(new WebhookAddressPolicy("", "127.0.0.0/8", -1), 2);
             ClassicHttpResponse response = post(client, "http://localhost:" + server.socket.getLocalPort() + "/hook")) {
            assertEquals(204, response.getCode());
            assertEquals(1, server.accepted.get());
        }
    }

    @Test
    void theDemoOpensLoopbackOnTheBusinessPortOnly() throws Exception {
        try (CountingServer business = new CountingServer(); CountingServer other = new CountingServer()) {
            WebhookAddressPolicy demo = new WebhookAddressPolicy("", "", business.socket.getLocalPort());
            try (CloseableHttpClient client = client(demo, 2)) {
                try (ClassicHttpResponse response = post(client, "http://localhost:" + business.socket.getLocalPort() + "/demo/webhook")) {
                    assertEquals(204, response.getCode());
                }
                assertThrows(WebhookAddressRefused.class, () -> post(client, "http://localhost:" + other.socket.getLocalPort() + "/"));
            }
            assertEquals(1, business.accepted.get());
            assertEquals(0, other.accepted.get());
        }
    }

    @Test
    void aWebhookThatNeverAnswersIsCutOffAtTheDeadline() throws Exception {
        WebhookAddressPolicy loopbackAllowed = new WebhookAddressPolicy("localhost", "", -1);
        try (HostileWebhook blackHole = new HostileWebhook("127.0.0.1", HostileWebhook.Behaviour.BLACK_HOLE, Duration.ZERO);
             CloseableHttpClient client = client(loopbackAllowed, 2)) {
            long start = System.nanoTime();
            IOException failure = assertThrows(IOException.class, () -> post(client, blackHole.url("localhost", "/hook")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertInstanceOf(WebhookDeadlineExceeded.class, failure, failure.toString());
            assertTrue(took.compareTo(DEADLINE.plusMillis(500)) < 0, "the attempt took " + took);
            await().atMost(Duration.ofSeconds(2)).until(() -> blackHole.connections.get(0).closedNanos != 0);
        }
    }

    @Test
    void aWebhookTricklingItsAnswerIsCutOffAtTheDeadlineNotPerRead() throws Exception {
        WebhookAddressPolicy loopbackAllowed = new WebhookAddressPolicy("localhost", "", -1);
        // one byte every 300 ms: no single read ever waits as long as the deadline
        try (HostileWebhook trickler = new HostileWebhook("127.0.0.1", HostileWebhook.Behaviour.TRICKLE, Duration.ofMillis(300));
             CloseableHttpClient client = client(loopbackAllowed, 2)) {
            long start = System.nanoTime();
            IOException failure = assertThrows(IOException.class, () -> post(client, trickler.url("localhost", "/hook")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertInstanceOf(WebhookDeadlineExceeded.class, failure, failure.toString());
            assertTrue(took.compareTo(DEADLINE.plusMillis(500)) < 0, "the attempt took " + took);
        }
    }

    @Test
    void anEndlessAnswerIsNotDownloaded() throws Exception {
        WebhookAddressPolicy loopbackAllowed = new WebhookAddressPolicy("localhost", "", -1);
        try (HostileWebhook endless = new HostileWebhook("127.0.0.1", HostileWebhook.Behaviour.ENDLESS_BODY, Duration.ZERO);
             CloseableHttpClient client = client(loopbackAllowed, 2)) {
            long start = System.nanoTime();
            try (ClassicHttpResponse response = post(client, endless.url("localhost", "/hook"))) {
                assertEquals(200, response.getCode());
                assertEquals(4096, EntityUtils.toByteArray(response.getEntity()).length, "only the first 4 KB are kept");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            await().atMost(Duration.ofSeconds(5)).until(() -> endless.connections.get(0).closedNanos != 0);

            long sent = endless.bytesSent.get();
            System.out.println("WebhookHttpClientTest: the endless webhook sent " + sent + " bytes before the gateway hung up, in " + took.toMillis() + " ms");
            assertTrue(sent < 16L * 1024 * 1024, "the webhook got " + sent + " bytes out of its 1 GB answer");
            assertTrue(took.compareTo(DEADLINE) < 0, "took " + took);
        }
    }

    @Test
    void answeredAttemptsGiveTheirConnectionBackEvenWhenTheCallerNeverClosesTheAnswer() throws Exception {
        WireMockServer webhook = new WireMockServer(options().dynamicPort());
        webhook.start();
        webhook.stubFor(any(anyUrl()).willReturn(ok()));
        try (CloseableHttpClient client = client(new WebhookAddressPolicy("localhost", "", -1), 1)) {
            for (int i = 0; i < 5; i++) {
                // camel-http reads the answer and closes the response only when the exchange completes
                ClassicHttpResponse response = post(client, webhook.baseUrl() + "/hook");
                assertEquals(200, response.getCode(), "attempt " + (i + 1));
                EntityUtils.toByteArray(response.getEntity());
            }
        } finally {
            webhook.stop();
        }
    }

    @Test
    void anAttemptWaitsBrieflyForItsHostsNextFreeSlotInsteadOfGoingBackToTheQueue() throws Exception {
        WireMockServer webhook = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        webhook.start();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (CloseableHttpClient client = client(new WebhookAddressPolicy("localhost", "", -1), 2)) {
            // answers after 20 ms: the third of three attempts at once finds both slots taken, for less than the wait
            webhook.stubFor(any(anyUrl()).willReturn(ok().withFixedDelay(20)));
            String url = "http://localhost:" + webhook.port() + "/hook";
            List<Future<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                attempts.add(callers.submit(() -> {
                    try (ClassicHttpResponse response = post(client, url)) {
                        return response.getCode();
                    }
                }));
            }
            for (Future<Integer> attempt : attempts) {
                assertEquals(200, attempt.get(), "every attempt is made, none is sent back as host-busy");
            }
            assertEquals(3, webhook.getAllServeEvents().size());
        } finally {
            callers.shutdownNow();
            webhook.stop();
        }
    }

    @Test
    void aHostGetsAtMostItsShareOfAttemptsAtOnce() throws Exception {
        WebhookAddressPolicy loopbackAllowed = new WebhookAddressPolicy("localhost", "", -1);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (HostileWebhook blackHole = new HostileWebhook("127.0.0.1", HostileWebhook.Behaviour.BLACK_HOLE, Duration.ZERO);
             CloseableHttpClient client = client(loopbackAllowed, 2)) {
            List<Future<?>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(callers.submit(() -> post(client, blackHole.url("localhost", "/hook"))));
            }
            await().atMost(Duration.ofSeconds(1)).until(() -> blackHole.connections.size() == 2);

            long start = System.nanoTime();
            assertThrows(WebhookHostBusy.class, () -> post(client, blackHole.url("localhost", "/third")));
            long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(waited >= 90 && waited < 500, "a host still busy is reported after a short wait for a slot: " + waited + " ms");
            assertEquals(2, blackHole.connections.size(), "the third attempt never connected");
            for (Future<?> attempt : held) {
                Exception failure = assertThrows(Exception.class, attempt::get);
                assertInstanceOf(WebhookDeadlineExceeded.class, failure.getCause(), failure.toString());
            }
        } finally {
            callers.shutdownNow();
        }
    }

}
