package org.octgateway.api;

import io.vertx.core.file.FileSystem;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * Removes a request's upload temp files when its answer is done, whatever happened to the request. Vert.x's own
 * cleanup gives up half-way when a multipart body fails while parts are still being written (an error in its
 * cancel loop leaves the remaining files on disk), and a part whose file was still being opened appears only
 * after the cleanup ran: hence a second sweep a moment later. Deleting a file that is already gone is harmless.
 */
final class UploadFiles {

    private static final long SECOND_SWEEP_MS = 1_000;

    private UploadFiles() {
    }

    static void removeWhenAnswered(RoutingContext request) {
        request.addEndHandler(answered -> {
            if (request.fileUploads().isEmpty()) {
                return;
            }
            sweep(request);
            request.vertx().setTimer(SECOND_SWEEP_MS, later -> sweep(request));
        });
    }

    private static void sweep(RoutingContext request) {
        FileSystem files = request.vertx().fileSystem();
        for (FileUpload upload : request.fileUploads()) {
            files.delete(upload.uploadedFileName()).onFailure(alreadyGone -> { });
        }
    }
}
