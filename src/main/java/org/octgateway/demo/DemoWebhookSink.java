package org.octgateway.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * The demo webhook sink: keeps every envelope it receives as a JSON file a person can read
 * ({@code <data-dir>/demo-webhook/<webhook-id>.json}) and lists them at {@code GET /demo/webhook}.
 */
public class DemoWebhookSink {

    private final Path folder;
    private final ObjectMapper json;

    public DemoWebhookSink(Path folder, ObjectMapper json) {
        this.folder = folder;
        this.json = json;
    }

    /** Keeps one envelope, named by its webhook-id (a redelivery replaces its earlier copy). */
    public void receive(@Header("webhook-id") String id, @Body String body) throws IOException {
        Files.createDirectories(folder);
        String name = (id == null ? "unknown-" + System.nanoTime() : id.replaceAll("[^A-Za-z0-9._-]", "_")) + ".json";
        Files.writeString(folder.resolve(name), body == null ? "" : body, StandardCharsets.UTF_8);
    }

    /** Every envelope kept, oldest first, as a pretty-printed JSON array. */
    public String list() throws IOException {
        ArrayNode envelopes = json.createArrayNode();
        if (Files.isDirectory(folder)) {
            List<Path> files;
            try (Stream<Path> stream = Files.list(folder)) {
                files = stream.filter(p -> p.toString().endsWith(".json"))
                        .sorted(Comparator.comparing(DemoWebhookSink::modified)).toList();
            }
            for (Path file : files) {
                JsonNode envelope = json.readTree(file.toFile());
                envelopes.add(envelope);
            }
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(envelopes);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
