package org.octgateway;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A test peer speaking the Google Cloud Storage JSON API over real HTTP (the JDK's HttpServer on 127.0.0.1),
 * in memory, to a client built like the gateway's from gateway.gcs.host (StorageOptions.setHost, no
 * credentials). It serves what google-cloud-storage 2.63 sends for what the gateway does, each request
 * logged to target/gcs-emulator-PORT.log (object names percent-encoded in paths, "/" as %2F):
 * <ul>
 * <li>{@code GET /storage/v1/b/B/o?prefix=P&projection=full[&pageToken=T]}: a page of the objects under P in
 * name order, with {@code nextPageToken} while more remain;</li>
 * <li>{@code GET /storage/v1/b/B/o/NAME?projection=full}: the object's metadata;</li>
 * <li>{@code GET /download/storage/v1/b/B/o/NAME?alt=media&generation=G&ifGenerationMatch=G}: its bytes;</li>
 * <li>{@code POST /upload/storage/v1/b/B/o?name=NAME&uploadType=resumable} (metadata as JSON): a session URI
 * in {@code Location}; then {@code PUT} of all the bytes to it: 200 with the new object's metadata.</li>
 * </ul>
 * Missing buckets, objects or sessions: 404 {@code {"error":{"code":404,"message":"Not Found"}}}; anything
 * else: 501. The test reaches the same map directly through {@link #put}, {@link #get} and {@link #delete}.
 */
final class GcsJsonApiEmulator implements AutoCloseable {

    /** One generation of an object. */
    record StoredObject(String bucket, String name, byte[] content, String contentType, long generation, Instant updated) { }

    // Metadata under /storage/v1, media under /download/storage/v1 (with alt=media), uploads under /upload/storage/v1.
    private static final Pattern LIST = Pattern.compile("GET /(?:download/)?storage/v1/b/([^/]+)/o");
    private static final Pattern OBJECT = Pattern.compile("GET /(?:download/)?storage/v1/b/([^/]+)/o/(.+)");
    private static final Pattern UPLOAD = Pattern.compile("(POST|PUT) /upload/storage/v1/b/([^/]+)/o");

    private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    /** Resumable upload sessions: the new object's metadata, with its bucket. */
    private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
    private final int pageSize;
    private final HttpServer server;
    private final PrintWriter log;

    /** Starts serving; listings answer at most {@code pageSize} objects a page. */
    GcsJsonApiEmulator(int pageSize) throws IOException {
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Files.createDirectories(Path.of("target"));
        log = new PrintWriter(Files.newBufferedWriter(Path.of("target", "gcs-emulator-" + server.getAddress().getPort() + ".log")), true);
        server.createContext("/", this::handle);
        server.start();
    }

    /** What gateway.gcs.host is set to. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void createBucket(String bucket) {
        buckets.putIfAbsent(bucket, new ConcurrentSkipListMap<>());
    }

    /** Stores {@code content} as a new generation of {@code name}. */
    StoredObject put(String bucket, String name, byte[] content, String contentType) {
        StoredObject object = new StoredObject(bucket, name, content.clone(), contentType, generations.incrementAndGet(), Instant.now());
        bucket(bucket).orElseThrow(() -> new IllegalArgumentException("no bucket " + bucket)).put(name, object);
        return object;
    }

    Optional<byte[]> get(String bucket, String name) {
        return bucket(bucket).map(objects -> objects.get(name)).map(object -> object.content().clone());
    }

    void delete(String bucket, String name) {
        bucket(bucket).ifPresent(objects -> objects.remove(name));
    }

    @Override
    public void close() {
        server.stop(0);
        log.close();
    }

    // ---- the JSON API ---------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            log.printf("%s %s %s%n", exchange.getRequestMethod(), exchange.getRequestURI(), new TreeMap<>(exchange.getRequestHeaders()));
            String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(); // decoded: %2F is "/"
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Matcher match;
            if ((match = LIST.matcher(call)).matches()) {
                list(exchange, match.group(1), query);
            } else if ((match = OBJECT.matcher(call)).matches()) {
                read(exchange, match.group(1), match.group(2), query);
            } else if ((match = UPLOAD.matcher(call)).matches() && "resumable".equals(query.get("uploadType"))) {
                if (match.group(1).equals("POST") && !query.containsKey("upload_id")) {
                    startUpload(exchange, match.group(2), query);
                } else {
                    continueUpload(exchange, query.getOrDefault("upload_id", ""));
                }
            } else {
                error(exchange, 501, "Not Implemented");
            }
        } catch (RuntimeException e) {
            log.println("failed: " + e); // the JDK server would drop it silently
            throw e;
        }
    }

    private void list(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        Optional<NavigableMap<String, StoredObject>> objects = bucket(bucket);
        if (objects.isEmpty()) {
            error(exchange, 404, "Not Found");
            return;
        }
        String prefix = query.getOrDefault("prefix", "");
        // The page token is the last name of the previous page: the next page starts after it.
        NavigableMap<String, StoredObject> after = query.containsKey("pageToken")
                ? objects.get().tailMap(query.get("pageToken"), false) : objects.get().tailMap(prefix, true);
        ObjectNode page = GatewayTestSupport.JSON.createObjectNode().put("kind", "storage#objects");
        ArrayNode items = page.putArray("items");
        for (StoredObject object : after.values()) {
            if (!object.name().startsWith(prefix)) {
                break;
            }
            if (items.size() == pageSize) {
                page.put("nextPageToken", items.get(items.size() - 1).path("name").asText());
                break;
            }
            items.add(resource(object));
        }
        json(exchange, 200, page);
    }

    private void read(HttpExchange exchange, String bucket, String name, Map<String, String> query) throws IOException {
        StoredObject object = bucket(bucket).map(objects -> objects.get(name)).orElse(null);
        if (object == null || (query.containsKey("generation") && Long.parseLong(query.get("generation")) != object.generation())) {
            error(exchange, 404, "Not Found");
        } else if (query.containsKey("ifGenerationMatch") && Long.parseLong(query.get("ifGenerationMatch")) != object.generation()) {
            error(exchange, 412, "Precondition Failed");
        } else if ("media".equals(query.get("alt"))) {
            exchange.getResponseHeaders().set("Content-Type", object.contentType());
            exchange.getResponseHeaders().set("x-goog-generation", Long.toString(object.generation()));
            exchange.getResponseHeaders().set("x-goog-hash", "crc32c=" + crc32c(object.content()));
            exchange.sendResponseHeaders(200, object.content().length == 0 ? -1 : object.content().length);
            exchange.getResponseBody().write(object.content());
        } else {
            json(exchange, 200, resource(object));
        }
    }

    private void startUpload(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        if (bucket(bucket).isEmpty()) {
            error(exchange, 404, "Not Found");
            return;
        }
        ObjectNode metadata = (ObjectNode) GatewayTestSupport.JSON.readTree(exchange.getRequestBody());
        String id = UUID.randomUUID().toString();
        sessions.put(id, metadata.put("bucket", bucket).put("name", query.getOrDefault("name", metadata.path("name").asText())));
        exchange.getResponseHeaders().set("Location", url() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
        exchange.sendResponseHeaders(200, -1);
    }

    /** The whole object in one PUT ("Content-Range: bytes 0-LAST/SIZE", or "bytes *&#47;0" when empty), as the client sends it. */
    private void continueUpload(HttpExchange exchange, String id) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Content-Range");
        ObjectNode session = sessions.remove(id);
        if (session == null) {
            error(exchange, 404, "Not Found");
            return;
        } else if (range == null || range.endsWith("/*")) {
            error(exchange, 501, "Not Implemented: uploads in several chunks");
            return;
        }
        byte[] content = exchange.getRequestBody().readAllBytes();
        String contentType = session.path("contentType").asText("application/octet-stream");
        json(exchange, 200, resource(put(session.path("bucket").asText(), session.path("name").asText(), content, contentType)));
    }

    private Optional<NavigableMap<String, StoredObject>> bucket(String bucket) {
        return Optional.ofNullable(buckets.get(bucket));
    }

    /** The object resource as the JSON API has it (int64 values as strings, RFC 3339 times). */
    private ObjectNode resource(StoredObject object) {
        return GatewayTestSupport.JSON.createObjectNode().put("kind", "storage#object")
                .put("id", object.bucket() + "/" + object.name() + "/" + object.generation())
                .put("name", object.name()).put("bucket", object.bucket())
                .put("generation", Long.toString(object.generation())).put("metageneration", "1")
                .put("contentType", object.contentType()).put("storageClass", "STANDARD")
                .put("size", Integer.toString(object.content().length)).put("crc32c", crc32c(object.content()))
                .put("etag", Long.toHexString(object.generation()))
                .put("timeCreated", object.updated().toString()).put("updated", object.updated().toString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] keyValue = pair.split("=", 2);
            query.put(URLDecoder.decode(keyValue[0], UTF_8), keyValue.length == 1 ? "" : URLDecoder.decode(keyValue[1], UTF_8));
        }
        return query;
    }

    private static void error(HttpExchange exchange, int code, String message) throws IOException {
        ObjectNode body = GatewayTestSupport.JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        json(exchange, code, body);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = GatewayTestSupport.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** CRC32C as the JSON API has it: the four bytes big-endian, in base64. */
    private static String crc32c(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }
}
