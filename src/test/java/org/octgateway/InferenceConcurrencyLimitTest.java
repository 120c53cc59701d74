package org.octgateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gateway.inference.concurrency limits the calls the inference server gets at once, not the jobs the gateway works on:
 * with 2 slots and gateway.worker.jobs-ahead=3, five jobs are taken from the queue while the model holds two calls;
 * all five are 'running' (a worker holds them: their record is written before they wait for a slot, so no slot waits
 * for that commit), the other three still 'queued', and the model never sees a third call at once.
 * The inference server here is a real HTTP server that holds every call until the test lets them go and counts the
 * calls it holds at once.
 */
class InferenceConcurrencyLimitTest extends GatewayTestSupport {

    private static final int SLOTS = 2;
    private static final int AHEAD = 3;
    private static final int JOBS = 8;
    private static final String HOOK = "/hooks/concurrency";
    private static final HoldingModel MODEL = new HoldingModel();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.inference.url", MODEL.url());
        properties.setProperty("gateway.inference.concurrency", Integer.toString(SLOTS));
        properties.setProperty("gateway.worker.jobs-ahead", Integer.toString(AHEAD));
    }

    @BeforeAll
    void webhookAnswers() {
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @AfterAll
    void stopModel() {
        MODEL.release();
        MODEL.server.stop(0);
    }

    @Test
    void atMostConcurrencyCallsAtOnceWhileMoreJobsArePreparedAhead() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(accepted(uploadImage("scan-" + i + ".png", "image/png", TestImages.png(700 + i),
                    Map.of("Webhook-Url", webhookUrl(HOOK)))));
        }
        Awaitility.await("two calls at the model and five jobs in the worker").atMost(DELIVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> MODEL.held.get() == SLOTS && context.getInflightRepository().size("job-worker") == SLOTS + AHEAD);
        List<String> states = jobs.stream().map(uuid -> record(uuid).path("state").asText()).toList();
        assertEquals(SLOTS + AHEAD, states.stream().filter("running"::equals).count(),
                "the jobs the worker holds, at the model or waiting for a slot, run: " + states);
        assertEquals(JOBS - SLOTS - AHEAD, states.stream().filter("queued"::equals).count(),
                "the jobs still in the queue are queued: " + states);

        MODEL.release();
        for (String uuid : jobs) {
            assertEquals("completed", awaitEnvelope(HOOK, uuid).path("status").asText());
        }
        assertEquals(JOBS, MODEL.calls.get(), "one call per job");
        assertEquals(SLOTS, MODEL.mostAtOnce.get(), "calls the model held at once, at most");
    }

    private JsonNode record(String uuid) {
        HttpResponse<String> answer = get("/requests/" + uuid);
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer.body());
    }

    /** An inference server that holds every call until {@link #release()}, counting the calls it holds at once. */
    static final class HoldingModel {
        final HttpServer server;
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch gate = new CountDownLatch(1);

        HoldingModel() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(16));
            server.createContext("/inference", this::answer);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/inference";
        }

        void release() {
            gate.countDown();
        }

        private void answer(HttpExchange call) throws IOException {
            calls.incrementAndGet();
            mostAtOnce.accumulateAndGet(held.incrementAndGet(), Math::max);
            try (call) {
                call.getRequestBody().readAllBytes();
                gate.await(60, TimeUnit.SECONDS);
                byte[] result = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                // no longer held once the answer goes: the gateway cannot start its next call before it has this one
                held.decrementAndGet();
                call.getResponseHeaders().set("Content-Type", "application/json");
                call.sendResponseHeaders(200, result.length);
                try (OutputStream out = call.getResponseBody()) {
                    out.write(result);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
