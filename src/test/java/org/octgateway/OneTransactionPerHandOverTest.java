package org.octgateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.EmbeddedBroker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A job is taken off the job queue in the same broker transaction that puts its result on the delivery queue, so no
 * crash (of the gateway or of the broker) between the two can drop the job: either both happened or neither did.
 * (With a Spring transaction manager beside the listener's cached session they were two transactions, the job's
 * committed first: a broker killed between the two commits lost the job — seen in ExternalBrokerIT and in the broker's
 * journal.) Observed inside the real broker: a plugin notes the transaction of each job's acknowledgement and of each
 * result's send.
 */
class OneTransactionPerHandOverTest extends GatewayTestSupport {

    private final Map<String, Transaction> jobTaken = new ConcurrentHashMap<>();
    private final Map<String, Transaction> resultQueued = new ConcurrentHashMap<>();
    private final Map<String, Transaction> deliveryTaken = new ConcurrentHashMap<>();
    private final Map<String, Transaction> deliveryQueued = new ConcurrentHashMap<>();
    private boolean watching;

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    private static String attempt(String delivery) {
        JsonNode fields = json(delivery);
        return fields.path("requestUuid").asText() + "#" + fields.path("attempt").asInt();
    }

    private synchronized void watchTheBrokersTransactions() {
        if (watching) {
            return;
        }
        watching = true;
        EmbeddedBroker broker = context.getRegistry().findSingleByType(EmbeddedBroker.class);
        broker.server().getActiveMQServer().registerBrokerPlugin(new ActiveMQServerMessagePlugin() {
            @Override
            public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
                String job = ref.getMessage().getStringProperty("GatewayJob");
                if (job != null && tx != null) {
                    jobTaken.put(json(job).path("requestUuid").asText(), tx);
                }
                String delivery = ref.getMessage().getStringProperty("GatewayDelivery");
                if (delivery != null && tx != null) {
                    deliveryTaken.put(attempt(delivery), tx);
                }
            }

            @Override
            public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct,
                                  boolean noAutoCreateQueue, RoutingStatus result) {
                String delivery = message.getStringProperty("GatewayDelivery");
                if (delivery != null && tx != null) {
                    resultQueued.putIfAbsent(json(delivery).path("requestUuid").asText(), tx);
                    deliveryQueued.put(attempt(delivery), tx);
                }
            }
        });
    }

    @Test
    void aJobLeavesTheJobQueueInTheTransactionThatQueuesItsResult() {
        watchTheBrokersTransactions();
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(5),
                Map.of("Webhook-Url", webhookUrl("/hooks/one-transaction"))));
        JsonNode envelope = awaitEnvelope("/hooks/one-transaction", uuid);
        assertNotNull(envelope);

        Transaction taken = jobTaken.get(uuid);
        Transaction queued = resultQueued.get(uuid);
        assertNotNull(taken, "the broker saw the job acknowledged in a transaction");
        assertNotNull(queued, "the broker saw the result queued in a transaction");
        assertSame(taken, queued, "job acknowledged in transaction " + taken.getID() + ", result queued in " + queued.getID());
    }

    @Test
    void aFailedWebhookAttemptLeavesTheDeliveryQueueInTheTransactionThatQueuesTheNextAttempt() {
        watchTheBrokersTransactions();
        webhooks().stubFor(post(urlPathEqualTo("/hooks/refusing")).willReturn(aResponse().withStatus(503)));
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(6),
                Map.of("Webhook-Url", webhookUrl("/hooks/refusing"))));
        Awaitility.await("the second attempt queued").atMost(Duration.ofSeconds(30))
                .until(() -> deliveryQueued.containsKey(uuid + "#2"));

        Transaction taken = deliveryTaken.get(uuid + "#1");
        Transaction queued = deliveryQueued.get(uuid + "#2");
        assertNotNull(taken, "the broker saw the first attempt acknowledged in a transaction");
        assertSame(taken, queued, "attempt 1 acknowledged in transaction " + taken.getID() + ", attempt 2 queued in "
                + queued.getID());
    }
}
