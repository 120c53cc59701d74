package org.octgateway.api;

import org.octgateway.contract.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON bodies for the errors the HTTP layer answers itself, before or instead of any route:
 * requests the HTTP codec cannot read (400, 414, 431), bodies the body handler refuses (413, also chunked;
 * 400 for a malformed or oversized multipart body), an unknown path or method (404; 503 while shutting down,
 * when the REST routes have already stopped). Every one is {@code {"status":"error","error":..,"message":..}},
 * never Vert.x's plain text or HTML.
 */
public class JsonHttpErrors extends BusinessRouterSetup {

    /** How long a refused request's body may keep arriving after its answer before the connection is closed. */
    static final long LINGER_MS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpErrors.class);
    private final BooleanSupplier shuttingDown;

    public JsonHttpErrors(int businessPort, BooleanSupplier shuttingDown) {
        super(businessPort);
        this.shuttingDown = shuttingDown;
    }

    @Override
    void install(Router router) {
        // During shutdown the REST routes are gone before the HTTP server is: say 503, not 404, meanwhile.
        router.route().last().handler(ctx -> {
            if (shuttingDown.getAsBoolean()) {
                answer(ctx.request(), 503, "shutting_down", "The gateway is shutting down; try again shortly.");
            } else {
                answer(ctx.request(), 404, "not_found", "No such endpoint: " + ctx.request().method() + " " + ctx.request().path());
            }
        });
    }

    /**
     * The failure handler of the business server's top router: whatever a handler failed with (the body handler's
     * 413 and decoding errors included) is answered here, in JSON. {@code maxBodySize} -1: not configured.
     */
    public static Handler<RoutingContext> failureHandler(long maxBodySize) {
        return ctx -> {
            if (ctx.request().isEnded()) {
                answerFailure(ctx, maxBodySize);
            } else {
                // The body is still arriving: a body the decoder rejects fails its upload parts first and reports the
                // decoding error itself right after, in the same turn (RequestDeadlines answers that with the precise
                // 400). Answer on the next turn, so that the precise answer wins.
                ctx.vertx().runOnContext(next -> answerFailure(ctx, maxBodySize));
            }
        };
    }

    private static void answerFailure(RoutingContext ctx, long maxBodySize) {
        Throwable failure = ctx.failure();
        if (ctx.response().headWritten() || ctx.response().closed()) {
            // answered already (a deadline, an earlier failure) or the client left: what fails now is the
            // request's own leftovers (an upload cut short), nothing to tell anyone
            LOG.debug("Failure after the answer: {} {}", ctx.request().method(), ctx.request().path(), failure);
            return;
        }
        int status = ctx.statusCode() != -1 ? ctx.statusCode()
                : failure instanceof HttpException http ? http.getStatusCode() : 500;
        if (status == 413) {
            answer(ctx.request(), 413, "payload_too_large", "The request body is larger than the gateway accepts"
                    + (maxBodySize >= 0 ? " (" + maxBodySize + " bytes)." : "."));
        } else if (status == 400 || isMalformedBody(failure)) {
            answerMalformedBody(ctx.request(), failure);
        } else if (status == 417) {
            answer(ctx.request(), 417, "expectation_failed", "Only 'Expect: 100-continue' is supported.");
        } else if (status >= 400 && status < 500) {
            answer(ctx.request(), status, "bad_request", "The request could not be read (HTTP " + status + ").");
        } else {
            LOG.error("HTTP request failed unexpectedly: {} {}", ctx.request().method(), ctx.request().path(), failure);
            answer(ctx.request(), 500, "internal_error", "The gateway could not process the request; see its log.");
        }
    }

    /** Requests the HTTP codec could not read (request line, headers): 414, 431 or 400, and the connection closes. */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            answer(request, 414, "uri_too_long", "The request line (method, path and query) is too long.");
        } else if (cause instanceof TooLongHttpHeaderException) {
            answer(request, 431, "headers_too_large", "The request headers are too large.");
        } else if (cause instanceof TooLongFrameException) {
            answer(request, 400, "bad_request", "A part of the request is too long.");
        } else if (cause instanceof StrictRequestDecoder.BodyLengthConflict) {
            answer(request, 400, "bad_request", RequestHeads.BOTH_BODY_LENGTHS);
        } else {
            answer(request, 400, "bad_request",
                    "The request line or a header is malformed (e.g. a control character in a header).");
        }
    }

    /** The top router's 400 error handler: the request's path or query could not be decoded while matching routes. */
    static void undecodableTarget(RoutingContext ctx) {
        answer(ctx.request(), 400, "bad_request",
                "The request path or query is not valid URL encoding (a '%' must be followed by two hexadecimal digits).");
    }

    /**
     * Answers {@code status} with the JSON error. A request whose body was not read to its end cannot share its
     * connection with another request: the connection closes after the answer.
     */
    public static void answer(HttpServerRequest request, int status, String code, String message) {
        answer(request, status, code, message, !request.isEnded() || !request.decoderResult().isSuccess());
    }

    /** Answers {@code status} with the JSON error, then closes the connection. */
    static void answerAndClose(HttpServerRequest request, int status, String code, String message) {
        answer(request, status, code, message, true);
    }

    private static void answer(HttpServerRequest request, int status, String code, String message, boolean close) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        String body = jsonBody(status, code, message);
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body).onComplete(done -> {
            if (close) {
                closeAfterTheBody(request);
            }
        });
        if (close) {
            sendNow(request);
        }
    }

    /**
     * Answers on a connection that has no request to answer (its headers never completed), then closes it. Written
     * straight to the channel: Vert.x knows no request there yet, and nothing else is being written on it.
     */
    static void answerAndClose(HttpConnection connection, int status, String code, String message) {
        if (!(connection instanceof ConnectionBase base)) {
            connection.close();
            return;
        }
        byte[] body = jsonBody(status, code, message).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        base.channelHandlerContext().writeAndFlush(response).addListener(written -> connection.close());
    }

    private static String jsonBody(int status, String code, String message) {
        return new ApiError(status, code, message).json();
    }

    /**
     * Flushes what was written on the request's connection. Vert.x flushes its writes once the current read is
     * handled; but when that read fails the connection (a broken chunked body), Vert.x closes it in the same turn and
     * an answer not yet flushed would be dropped.
     */
    /**
     * Closes the connection of an answered request. A body still arriving is read and dropped first, for at most
     * {@link #LINGER_MS}: closing a socket with unread bytes makes the kernel reset the connection, and a client still
     * sending (an upload refused by its Content-Length) would then lose the answer already sent to it.
     */
    private static void closeAfterTheBody(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (request.isEnded() || !request.decoderResult().isSuccess()
                || !(connection instanceof ConnectionBase base)) {
            connection.close();
            return;
        }
        request.handler(dropped -> { });
        request.endHandler(ended -> connection.close());
        request.resume();
        base.getContext().owner().setTimer(LINGER_MS, timeUp -> connection.close());
    }

    private static void sendNow(HttpServerRequest request) {
        if (request.connection() instanceof ConnectionBase connection) {
            connection.channelHandlerContext().flush();
        }
    }

    /**
     * What decoding a body fails with: Netty's multipart/form decoder errors (too many parts, a field too long,
     * bad part headers) are DecoderExceptions; Vert.x refuses to start decoding a multipart body whose
     * Content-Type has no usable boundary with an IllegalStateException naming "multipart".
     */
    static boolean isMalformedBody(Throwable failure) {
        return failure instanceof DecoderException
                || failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("multipart");
    }

    /** 400 for a body that cannot be decoded; the rest of it will not be read: the connection closes. */
    static void answerMalformedBody(HttpServerRequest request, Throwable failure) {
        answerAndClose(request, 400, "malformed_body", malformedBodyMessage(failure));
    }

    private static String malformedBodyMessage(Throwable failure) {
        if (failure instanceof StrictRequestDecoder.MalformedChunks) {
            return "The chunked body is malformed (each chunk starts with its size in hexadecimal, at most 64 bits,"
                    + " and ends with CRLF).";
        }
        if (failure instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
            return "The form has too many parts.";
        }
        if (failure instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
            return "A form field is too long.";
        }
        return "The multipart/form-data body is malformed (check its boundary and part headers).";
    }
}
