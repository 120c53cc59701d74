package org.octgateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small upload (under 100 KiB) travels whole in its job's message rather than as a broker large message (a file
 * and a disk sync of its own per upload); the embedded broker keeps at most gateway.broker.max-memory-bytes of queued
 * messages on the heap and pages the rest to disk: a backlog of uploads several times that size is still delivered
 * whole, every image byte for byte, and the job queue's paging shows it was on disk, not on the heap.
 */
class SmallUploadsInTheMessageTest extends GatewayTestSupport {

    private static final String HOOK = "/hooks/small-uploads";
    /** Under the 100 KiB in-message limit; 40 of them are ~2.6 MB, ten times the broker's memory here. */
    private static final int IMAGE_SIZE = 64 * 1024;
    private static final int UPLOADS = 40;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.broker.max-memory-bytes", Integer.toString(256 * 1024));
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(post(urlPathEqualTo("/inference")).willReturn(okJson("{\"ok\":true}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @Test
    void aBacklogOfSmallUploadsPastTheBrokersMemoryIsPagedToDiskAndDeliveredByteForByte() throws Exception {
        context.getRouteController().stopRoute("job-worker"); // the uploads wait in the queue
        Map<String, byte[]> images = new LinkedHashMap<>();
        for (int i = 0; i < UPLOADS; i++) {
            byte[] image = java.util.Arrays.copyOf(TestImages.png(500 + i), IMAGE_SIZE);
            images.put(accepted(uploadImage("scan-" + i + ".png", "image/png", image,
                    Map.of("Webhook-Url", webhookUrl(HOOK)))), image);
        }

        assertTrue(files(brokerDir().resolve("large-messages")).isEmpty(),
                "a small upload is no large message: " + files(brokerDir().resolve("large-messages")));
        List<Path> paged = files(brokerDir().resolve("paging"));
        assertFalse(paged.stream().filter(Files::isDirectory).flatMap(SmallUploadsInTheMessageTest::filesUnder)
                .filter(f -> f.getFileName().toString().endsWith(".page")).toList().isEmpty(),
                "the queued uploads past gateway.broker.max-memory-bytes are paged to disk: " + paged);

        context.getRouteController().startRoute("job-worker");
        List<String> notDelivered = new ArrayList<>();
        for (Map.Entry<String, byte[]> upload : images.entrySet()) {
            assertEquals("completed", awaitEnvelope(HOOK, upload.getKey()).path("status").asText());
            var calls = inferenceCallsFor(upload.getKey());
            if (calls.size() != 1) {
                notDelivered.add(upload.getKey() + ": " + calls.size() + " calls");
                continue;
            }
            assertArrayEquals(upload.getValue(), calls.get(0).getBody(), "the image the inference server got");
        }
        assertEquals(List.of(), notDelivered);
    }

    private Path brokerDir() {
        return peers().dataDir.resolve("broker");
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static Stream<Path> filesUnder(Path dir) {
        try {
            return files(dir).stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
