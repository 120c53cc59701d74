package org.octgateway.api;

import org.octgateway.contract.JsonAnswers;
import org.octgateway.contract.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * No upload part outlives its request. Vert.x 4.5's body handler deletes a request's part files when the answer
 * has been written, or once when the request fails; but its clean-up stops at the first part whose cancel throws
 * ("File handle is closed"), parts that begin after a failure (a body over the limit, a client that went away)
 * are still streamed to new files that nothing deletes, and a body over the limit whose part was being written
 * fails with that part's "Pipe closed" (a 500) instead of 413. Ahead of every route of the business router, this
 * deletes the request's part files whenever the request ends, however it ends, drops any later part instead of
 * storing it, answers a body that crossed {@code camel.server.maxBodySize} as 413, and a form cut off in the
 * middle of a part (which Vert.x would never answer) as 400.
 */
public class UploadFileCleanup implements Handler<RoutingContext> {

    /** How long after the whole body arrived a part may still be open before the form counts as cut off. */
    static final long INCOMPLETE_FORM_GRACE_MS = 3_000;

    private final long maxBodySize;

    public UploadFileCleanup(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addEndHandler(ended -> deletePartFiles(ctx));
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            ctx.request().end().onSuccess(received ->
                    ctx.vertx().setTimer(INCOMPLETE_FORM_GRACE_MS, timer -> refuseIfAPartNeverEnded(ctx)));
        }
        ctx.next();
    }

    /**
     * A form whose body ends in the middle of a part (no closing boundary) is never answered by Vert.x's body
     * handler: it waits for the end of that part forever, holding its file and its share of the bytes in flight.
     * Some time after the whole body has arrived, a part still being written can only be such a part.
     */
    private static void refuseIfAPartNeverEnded(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            return;
        }
        for (FileUpload upload : ctx.fileUploads()) {
            boolean stillOpen;
            try {
                stillOpen = upload.cancel(); // true only for a part whose end never came; deletes its file
            } catch (RuntimeException alreadyClosed) {
                stillOpen = false;
            }
            if (stillOpen) {
                JsonAnswers.send(ctx, new ApiError(400, "invalid_request", "The multipart form ends in the middle of"
                        + " the part '" + upload.name() + "' (its closing boundary never came); nothing was accepted."));
                return;
            }
        }
    }

    /**
     * A failure handler: the body limit, when crossed while a part was being written, is a 413, not a 500. A failure
     * after the answer was sent (a part's stream cancelled by the clean-up, a client gone) has no one left to tell:
     * it is dropped here instead of being logged by Vert.x as an "unhandled exception" with its stack trace.
     */
    public void overLimitFailure(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.request().bytesRead() > maxBodySize && !ctx.response().headWritten()) {
            JsonAnswers.send(ctx, new ApiError(413, "payload_too_large", "The request body is larger than the gateway"
                    + " accepts (" + maxBodySize + " bytes)."));
        } else {
            ctx.next();
        }
    }

    private static void deletePartFiles(RoutingContext ctx) {
        for (FileUpload upload : ctx.fileUploads()) {
            try {
                upload.cancel(); // stops a part still being written
            } catch (RuntimeException alreadyClosed) {
                // Vert.x throws when the part's file was closed meanwhile: deleted below all the same
            }
            ctx.vertx().fileSystem().delete(upload.uploadedFileName()); // may be gone already: that is fine
        }
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            request.uploadHandler(lateUpload -> lateUpload.handler(ignored -> { }));
        }
    }
}
