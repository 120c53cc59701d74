package org.octgateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.Interceptor;
import org.apache.activemq.artemis.core.protocol.core.impl.PacketImpl;
import org.apache.activemq.artemis.core.protocol.core.impl.wireformat.SessionQueueQueryMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.EmbeddedBroker;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Queueing a job and queueing its result do not ask the broker whether the queue exists each time: that question
 * (Artemis's queue query, behind JMS's Session.createQueue) is a blocking round trip, once per queue is enough.
 * Observed inside the real broker: an interceptor notes every queue query it receives.
 */
class QueueLookupsTest extends GatewayTestSupport {

    private static final int UPLOADS = 6;
    private static final String HOOK = "/hooks/queue-lookups";

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"finding\":\"none\"}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @Test
    void theJobAndDeliveryQueuesAreLookedUpOnceNotPerMessage() {
        EmbeddedBroker broker = context.getRegistry().findSingleByType(EmbeddedBroker.class);
        String jobs = context.resolvePropertyPlaceholders("{{gateway.queue.jobs}}");
        String deliveries = context.resolvePropertyPlaceholders("{{gateway.queue.deliveries}}");
        // every consumer has looked its queue up as it started (once, as a consumer is kept): now the sends alone
        int jobConsumers = Integer.parseInt(context.resolvePropertyPlaceholders("{{gateway.inference.concurrency}}"))
                + Integer.parseInt(context.resolvePropertyPlaceholders("{{gateway.worker.jobs-ahead}}"));
        int deliveryConsumers = Integer.parseInt(context.resolvePropertyPlaceholders("{{gateway.webhook.concurrency}}"));
        await("every consumer started").atMost(Duration.ofSeconds(20))
                .until(() -> consumers(broker, jobs) == jobConsumers && consumers(broker, deliveries) == deliveryConsumers);
        assertNotNull(awaitEnvelope(HOOK, accepted(uploadImage("scan.png", "image/png", TestImages.png(39),
                Map.of("Webhook-Url", webhookUrl(HOOK))))));

        List<String> queried = new CopyOnWriteArrayList<>();
        Interceptor queueQueries = (packet, connection) -> {
            if (packet.getType() == PacketImpl.SESS_QUEUEQUERY) {
                queried.add(((SessionQueueQueryMessage) packet).getQueueName().toString());
            }
            return true;
        };
        broker.server().getActiveMQServer().getRemotingService().addIncomingInterceptor(queueQueries);
        try {
            for (int i = 0; i < UPLOADS; i++) {
                String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(40 + i),
                        Map.of("Webhook-Url", webhookUrl(HOOK))));
                assertNotNull(awaitEnvelope(HOOK, uuid)); // queued, run, its result queued, delivered
            }
        } finally {
            broker.server().getActiveMQServer().getRemotingService().removeIncomingInterceptor(queueQueries);
        }
        assertEquals(List.of(), queried, UPLOADS + " uploads queued, run and delivered; the broker was asked about these queues");
    }

    private static int consumers(EmbeddedBroker broker, String queue) {
        return broker.server().getActiveMQServer().locateQueue(queue).getConsumerCount();
    }
}
