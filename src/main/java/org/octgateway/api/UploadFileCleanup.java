package org.octgateway.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * No upload part outlives its request. Vert.x's body handler deletes a request's part files when the answer has
 * been written, or once when the request fails; but parts that begin after a failure (a body over the limit, a
 * malformed form, a client that went away) are still streamed to new files that nothing deletes, and a dropped
 * connection skips the normal path. This handler, ahead of every route of the business router, deletes the
 * request's part files whenever the request ends, and from then on drops further parts instead of storing them.
 */
public class UploadFileCleanup implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addEndHandler(ended -> {
            for (FileUpload upload : ctx.fileUploads()) {
                if (!upload.cancel()) { // cancel() stops a part still being written, and deletes its file
                    ctx.vertx().fileSystem().delete(upload.uploadedFileName()); // may be gone already: ignored
                }
            }
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                request.uploadHandler(lateUpload -> lateUpload.handler(ignored -> { }));
            }
        });
        ctx.next();
    }
}
