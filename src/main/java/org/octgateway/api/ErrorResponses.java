package org.octgateway.api;

/**
 * Error handling shared by every route that answers an HTTP request is the {@code rest-errors} route configuration
 * of routes/errors.yaml: a refused request ({@link org.octgateway.contract.ApiError}) answers its JSON error,
 * anything unexpected a 500 without a stack trace. The Java routes name it by this id.
 */
public final class ErrorResponses {

    public static final String REST_ERRORS = "rest-errors";

    private ErrorResponses() {
    }
}
