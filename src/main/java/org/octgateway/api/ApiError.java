package org.octgateway.api;

/**
 * A request the gateway refuses, with the HTTP status and the JSON error it answers:
 * {@code {"status":"error","error":<code>,"message":<plain words>}}.
 * Thrown by validation and answered by the {@code rest-errors} route configuration.
 */
public class ApiError extends RuntimeException {

    private final int httpStatus;
    private final String code;

    public ApiError(int httpStatus, String code, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    /** The JSON error body: {@code {"status":"error","error":<code>,"message":<plain words>}}. */
    public Answers.Error body() {
        return new Answers.Error("error", code, getMessage());
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
