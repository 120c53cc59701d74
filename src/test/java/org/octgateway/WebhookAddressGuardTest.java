package org.octgateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSRF guard with the shipped settings (no allow-lists, demo off): a Webhook-Url pointing at anything
 * internal, in any spelling, is refused with 403 before anything is queued; bad ports get 400; and a delivery
 * already queued for an internal address (accepted under a wider allow-list, say) is never connected to.
 */
class WebhookAddressGuardTest extends GatewayTestSupport {

    private static final String UPLOADS_ACCEPTED = "gateway_jobs_accepted_total{endpoint=\"invocations\"}";

    /** A local server that only counts connections: none may arrive. */
    private ServerSocket internalService;
    private final AtomicInteger connections = new AtomicInteger();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.webhook.allowed-hosts", "");
        properties.setProperty("gateway.webhook.allowed-subnets", "");
    }

    @BeforeAll
    void startInternalService() throws IOException {
        internalService = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!internalService.isClosed()) {
                try (Socket ignored = internalService.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    void stopInternalService() throws IOException {
        internalService.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/hook", "http://localhost/hook", "http://LOCALHOST./hook", "http://127.0.0.1./hook",
            "http://127.1/hook", "http://2130706433/hook", "http://0177.0.0.1/hook", "http://0x7f000001/hook",
            "http://0x7f.0.0.1/hook", "http://[::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://[::ffff:7f00:1]/hook",
            "http://[::127.0.0.1]/hook", "http://[64:ff9b::7f00:1]/hook", "http://[0:0:0:0:0:0:0:1]/hook",
            "http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/meta-data/",
            "http://2852039166/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/",
            "http://10.0.0.5/hook", "http://172.16.3.4/hook", "http://172.31.255.255/hook", "http://192.168.1.10/hook",
            "http://100.64.0.1/hook", "http://[fc00::1]/hook", "http://[fe80::1]/hook", "http://[fe80::1%25eth0]/hook",
            "http://224.0.0.1/hook", "http://[ff02::1]/hook", "http://0.0.0.0/hook", "http://0/hook", "http://[::]/hook",
            "http://192.0.2.1/hook", "http://198.51.100.7/hook", "http://203.0.113.9/hook", "http://[2001:db8::1]/hook",
            "http://240.0.0.1/hook", "http://255.255.255.255/hook", "http://198.18.0.1/hook",
            "https://127.0.0.1:9876/observe/jolokia"})
    void aWebhookOnAnInternalAddressIsRefusedWith403BeforeAnythingIsQueued(String webhookUrl) {
        double acceptedBefore = metricValue(UPLOADS_ACCEPTED).orElse(0.0);

        HttpResponse<String> answer = uploadImage("scan.png", "image/png", TestImages.png(7), Map.of("Webhook-Url", webhookUrl));

        assertEquals(403, answer.statusCode(), webhookUrl + " -> " + answer.body());
        JsonNode body = json(answer.body());
        assertEquals("error", body.path("status").asText());
        assertEquals("webhook_address_not_allowed", body.path("error").asText(), answer.body());
        assertTrue(body.path("message").asText().contains(" is a"), "the message names what the address is: " + answer.body());
        assertEquals(acceptedBefore, metricValue(UPLOADS_ACCEPTED).orElse(0.0), "nothing was queued");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com:0/hook", "http://hooks.example.com:99999/hook",
            "http://hooks.example.com:-1/hook", "http://[2606:4700::1111]:65536/hook"})
    void aWebhookPortOutside1To65535IsRefusedWith400(String webhookUrl) {
        HttpResponse<String> answer = uploadImage("scan.png", "image/png", TestImages.png(8), Map.of("Webhook-Url", webhookUrl));

        assertEquals(400, answer.statusCode(), webhookUrl + " -> " + answer.body());
        assertEquals("invalid_header", json(answer.body()).path("error").asText());
        assertTrue(json(answer.body()).path("message").asText().contains("1 to 65535"), answer.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://256.1.1.1/hook", "http://1.2.3.4.5/hook", "http://0x1g/hook"})
    void aHostThatIsNeitherANameNorAnAddressIsRefusedWith400(String webhookUrl) {
        HttpResponse<String> answer = uploadImage("scan.png", "image/png", TestImages.png(9), Map.of("Webhook-Url", webhookUrl));

        assertEquals(400, answer.statusCode(), webhookUrl + " -> " + answer.body());
        assertEquals("invalid_header", json(answer.body()).path("error").asText());
    }

    @Test
    void aPublicAddressIsAccepted() throws Exception {
        // The guard does not refuse everything: a global address passes. Tests never send traffic off loopback, so
        // the worker is stopped first and the job just stays queued.
        context.getRouteController().stopRoute("job-worker", 1, java.util.concurrent.TimeUnit.SECONDS);
        HttpResponse<String> answer = uploadImage("scan.png", "image/png", TestImages.png(10),
                Map.of("Webhook-Url", "https://[2606:4700:4700::1111]:8443/hook?token=abc"));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    @Test
    void aQueuedDeliveryToAnInternalAddressIsNeverConnectedToAndIsDeadLetteredWithTheReason() throws Exception {
        int port = internalService.getLocalPort();
        // As if accepted earlier under a wider allow-list: put straight on the delivery queue.
        String byName = queueDelivery("http://localhost:" + port + "/hook?token=secret-1");
        String byAddress = queueDelivery("http://127.0.0.1:" + port + "/hook?token=secret-2");

        for (String uuid : List.of(byName, byAddress)) {
            Message deadLetter = await("dead letter of " + uuid).atMost(DELIVERY_TIMEOUT)
                    .until(() -> DeadLetterBrowser.deadLetter(uuid), Optional::isPresent).get();
            String reason = deadLetter.getStringProperty("GatewayFailure");
            assertTrue(reason.contains("127.0.0.1 is a loopback address"), reason);
            assertFalse(reason.contains("secret"), reason);
        }
        Thread.sleep(300);
        assertEquals(0, connections.get(), "the internal service was never connected to");
        assertEquals(0.0, metricValue("gateway_webhook_deliveries_total{outcome=\"retried\"}").orElse(0.0),
                "a refused address is not retried");
    }

    private String queueDelivery(String webhookUrl) throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
             Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("gateway.deliveries"))) {
            TextMessage message = session.createTextMessage(
                    "{\"type\":\"inference.completed\",\"request_uuid\":\"" + uuid + "\",\"status\":\"completed\"}");
            message.setStringProperty("GatewayDelivery",
                    "{\"webhookUrl\":\"" + webhookUrl + "\",\"requestUuid\":\"" + uuid + "\",\"attempt\":1}");
            producer.send(message);
        }
        return uuid;
    }
}
