package org.octgateway.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.apache.camel.Predicate;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.RequestHeaders;
import org.octgateway.job.MessageNames;
import org.octgateway.validation.UploadedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Idempotency-Key header of the POST endpoints. The first request with a key reserves it (an INSERT: the
 * database decides between two gateways) and, once answered, leaves its answer there; the same key with the same
 * request within gateway.idempotency.ttl-seconds answers that answer again and queues nothing; with a different
 * request it is refused (409). "The same request" is the same operation, the same headers that shape its jobs
 * (Webhook-Url, Examination-ID, Inference-Parameters, Input-Location, the buckets, Write-To-GCS, Request-TTL-Seconds)
 * and, for an upload, the same image bytes. Keys are the caller's own: two callers may use the same key.
 */
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    /** Exchange property: the request's {@link Check}. */
    public static final String CHECK = "gatewayIdempotency";
    private static final int MAX_KEY_LENGTH = 255;
    /** A reservation without an answer this old belongs to a request whose gateway stopped while accepting it. */
    private static final long ABANDONED_AFTER_MILLIS = 5 * 60 * 1000;
    /** The headers that make two requests the same request (besides the operation and an upload's bytes). */
    private static final List<String> SHAPING_HEADERS = List.of(RequestHeaders.WEBHOOK_URL, RequestHeaders.EXAMINATION_ID,
            RequestHeaders.INFERENCE_PARAMETERS, RequestHeaders.INPUT_LOCATION, RequestHeaders.INPUT_BUCKET_NAME,
            RequestHeaders.OUTPUT_BUCKET_NAME, RequestHeaders.WRITE_TO_GCS, RequestStates.REQUEST_TTL_HEADER);

    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);

    private final Sql sql;
    private final long ttlMillis;

    public Idempotency(Sql sql, long ttlSeconds) {
        this.sql = sql;
        this.ttlMillis = ttlSeconds * 1000;
    }

    /**
     * The request's Idempotency-Key checked: reserved for this request, or the answer its first request was given.
     *
     * @param keyDigest the caller-scoped key this request reserved (null without a key, or when replaying)
     * @param replay    the remembered answer (JSON) to answer again, null when the request goes ahead
     */
    public record Check(String keyDigest, String replay) {
        public boolean replays() {
            return replay != null;
        }
    }

    /**
     * Reserves the request's Idempotency-Key for it, or finds what the key's first request was answered; 409 when the
     * key was used for another request, or its first request is still being accepted.
     *
     * @param uri   the request's path (and query): the operation
     * @param image an upload's image (its bytes are part of "the same request"), null for bucket requests
     */
    public Check begin(@Header(HEADER) String key, @ExchangeProperty(MessageNames.CALLER) String caller,
            @Header(Exchange.HTTP_URI) String uri, @ExchangeProperty(UploadedImage.PROPERTY) UploadedImage image,
            @Headers Map<String, Object> headers) {
        if (key == null) {
            return new Check(null, null);
        }
        String keyDigest = keyDigest(validKey(key), caller);
        String requestDigest = requestDigest(uri, headers, image == null ? null : image.file());
        long now = System.currentTimeMillis();
        // expired, or reserved by a request that never finished (its gateway crashed): the key is free
        sql.update("DELETE FROM idempotency_keys WHERE key_digest = ? AND (created_at < ? OR (answer IS NULL AND created_at < ?))",
                keyDigest, now - ttlMillis, now - ABANDONED_AFTER_MILLIS);
        if (sql.insertIfAbsent("INSERT INTO idempotency_keys (key_digest, request_digest, created_at) VALUES (?,?,?)",
                keyDigest, requestDigest, now)) {
            return new Check(keyDigest, null);
        }
        record Used(String requestDigest, String answer) {
        }
        Used used = sql.one("SELECT request_digest, answer FROM idempotency_keys WHERE key_digest = ?",
                row -> new Used(row.getString(1), row.getString(2)), keyDigest)
                .orElseThrow(() -> new ApiError(409, "request_in_progress", "The first request with this Idempotency-Key has"
                        + " just ended; try again."));
        if (!used.requestDigest().equals(requestDigest)) {
            throw new ApiError(409, "idempotency_key_reused", "This Idempotency-Key was used for a different request"
                    + " (another operation, other headers or another image); use a new key for a new request.");
        }
        if (used.answer() == null) {
            throw new ApiError(409, "request_in_progress", "The first request with this Idempotency-Key is still being"
                    + " accepted; try again in a moment.");
        }
        return new Check(null, used.answer());
    }

    /**
     * Whether the request's {@link Check} replays its first answer: the accept route's filter, read from the exchange
     * property directly (a simple expression {@code ${exchangeProperty.…replay}} calls the getter by reflection).
     */
    public static Predicate replaying() {
        return exchange -> {
            Check check = exchange.getProperty(CHECK, Check.class);
            return check != null && check.replays();
        };
    }

    /** The request was answered: its answer is what the key answers from now on. */
    public void remember(@ExchangeProperty(CHECK) Check check, @Body String answer) {
        if (check != null && check.keyDigest() != null) {
            sql.update("UPDATE idempotency_keys SET answer = ? WHERE key_digest = ?", answer, check.keyDigest());
        }
    }

    /** The request was refused or failed: its key is free again, so the caller's retry goes ahead. */
    public void release(@ExchangeProperty(CHECK) Check check) {
        if (check != null && check.keyDigest() != null) {
            try {
                sql.update("DELETE FROM idempotency_keys WHERE key_digest = ? AND answer IS NULL", check.keyDigest());
            } catch (RuntimeException e) {
                // the refusal is answered anyway; the reservation is freed as abandoned after a few minutes
                LOG.warn("An Idempotency-Key reservation could not be released: {}", e.getMessage());
            }
        }
    }

    /** Deletes the keys older than gateway.idempotency.ttl-seconds; keys deleted. */
    public int purge() {
        return sql.update("DELETE FROM idempotency_keys WHERE created_at < ?", System.currentTimeMillis() - ttlMillis);
    }

    private static String validKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c <= 0x7E)) {
            throw ApiError.invalidHeader(HEADER, "must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters without spaces (e.g. a UUID).");
        }
        return key;
    }

    private static String keyDigest(String key, String caller) {
        MessageDigest sha256 = sha256();
        sha256.update((caller == null ? "" : caller).getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(key.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String requestDigest(String uri, Map<String, Object> headers, Path image) {
        Map<String, String> shaping = new TreeMap<>();
        Map<String, Object> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        for (String name : SHAPING_HEADERS) {
            Object value = caseless.get(name);
            if (value != null) {
                shaping.put(name, value.toString());
            }
        }
        MessageDigest sha256 = sha256();
        sha256.update((uri + "\n" + shaping).getBytes(StandardCharsets.UTF_8));
        if (image != null) {
            try (InputStream in = Files.newInputStream(image)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    sha256.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new IllegalStateException("the upload's file could not be read for its digest", e);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
