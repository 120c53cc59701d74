package org.octgateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.CachingConnectionFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A route's listener stopped while it waits for a job (a live reload, a route stopped over JMX) has its thread
 * interrupted by Spring; Artemis then marks the listener's session rollback-only, and the session goes back to the
 * cache that the routes and the job queue share. The next upload that took it was refused with 503
 * (AMQ219030 "rolled back on failover", seen once in LiveRouteReloadIT). Here the whole cache is left so, as by
 * listeners stopped one after another, and the next upload must still be queued and delivered.
 */
class SessionLeftRollbackOnlyTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/after-a-stopped-listener";

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"grade\":1}")));
        webhooks().stubFor(post(urlPathEqualTo(HOOK)).willReturn(ok()));
    }

    @Test
    void anUploadIsQueuedAfterStoppedListenersLeftTheirCachedSessionsRollbackOnly() throws Exception {
        CachingConnectionFactory connections = context.getRegistry()
                .lookupByNameAndType("jmsConnectionFactory", CachingConnectionFactory.class);
        String queue = context.resolvePropertyPlaceholders("{{gateway.queue.dead-letters}}");
        try (Connection connection = connections.createConnection()) {
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < connections.getSessionCacheSize(); i++) {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                // a listener commits after each job, so its session closes later without a rollback
                session.commit();
                Thread.currentThread().interrupt();
                assertThrows(JMSException.class, () -> consumer.receive(1000), "an interrupted receive fails");
                Thread.interrupted();
                consumer.close();
                sessions.add(session);
            }
            for (Session session : sessions) {
                session.close();
            }
        }

        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(31), Map.of("Webhook-Url", webhookUrl(HOOK))));
        awaitEnvelope(HOOK, uuid);
    }
}
