package org.octgateway.contract;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request the gateway refuses, with the HTTP status and the JSON error it answers:
 * {@code {"status":"error","error":<code>,"message":<plain words>}}.
 * Thrown by validation and answered by the {@code rest-errors} route configuration.
 */
public class ApiError extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int httpStatus;
    private final String code;
    private final Map<String, String> responseHeaders;

    public ApiError(int httpStatus, String code, String message) {
        this(httpStatus, code, message, Map.of());
    }

    /** @param responseHeaders headers the answer carries too, e.g. WWW-Authenticate with a 401, Retry-After with a 429 */
    public ApiError(int httpStatus, String code, String message, Map<String, String> responseHeaders) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.responseHeaders = Map.copyOf(responseHeaders);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    /** The JSON error body: {@code {"status":"error","error":<code>,"message":<plain words>}}. */
    public Answers.Error body() {
        return new Answers.Error("error", code, getMessage());
    }

    /** {@link #body()} as JSON text: what every refusal answers, whichever layer refuses. */
    public String json() {
        try {
            return JSON.writeValueAsString(body());
        } catch (JsonProcessingException e) {
            return "{\"status\":\"error\",\"error\":\"" + code + "\"}"; // codes are plain ASCII words
        }
    }

    public static ApiError missingHeader(String header) {
        return new ApiError(400, "missing_header", "The " + header + " header is required.");
    }

    public static ApiError invalidHeader(String header, String why) {
        return new ApiError(400, "invalid_header", "The " + header + " header " + why);
    }

    public static ApiError invalidParameter(String key, String why) {
        return new ApiError(400, "invalid_inference_parameters", "Inference-Parameters: '" + key + "' " + why);
    }

    public static ApiError queueUnavailable() {
        return new ApiError(503, "queue_unavailable",
                "The job queue is unavailable; nothing was accepted. Try again later.");
    }
}
