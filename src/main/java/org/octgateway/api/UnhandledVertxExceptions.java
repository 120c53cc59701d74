package org.octgateway.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Vert.x reports as an unhandled exception (thrown in a handler or a future's listener that nothing catches):
 * logged at ERROR with its stack trace, as Vert.x itself would, but for one that is no error. Vert.x 4.5 cancels an
 * upload part's stream to its file a second time once that file is closed: when a client hangs up mid-part, a body
 * crosses the limit, a form is cut off or a request's deadline expires, the part's stream fails, and the body
 * handler's clean-up cancels it again; PipeImpl.close then throws "File handle is closed" from a future's listener,
 * where no caller can catch it. The part file is deleted all the same (UploadFileCleanup), so an operator would be
 * shown a stack trace for every such request with nothing to act on: that one is logged at DEBUG.
 */
final class UnhandledVertxExceptions implements Handler<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnhandledVertxExceptions.class);
    private static final String CLOSED_FILE = "File handle is closed";
    private static final String FILE_UPLOAD = "io.vertx.core.http.impl.HttpServerFileUploadImpl";
    private static final String CANCEL_STREAM = "cancelStreamToFileSystem";

    /** The handler Vert.x had before (null: none, Vert.x logs the exception itself). */
    private final Handler<Throwable> before;

    private UnhandledVertxExceptions(Handler<Throwable> before) {
        this.before = before;
    }

    /** Becomes {@code vertx}'s handler of unhandled exceptions, passing on to the one it had, if any. */
    static void install(Vertx vertx) {
        vertx.exceptionHandler(new UnhandledVertxExceptions(vertx.exceptionHandler()));
    }

    @Override
    public void handle(Throwable exception) {
        if (isSecondCancelOfAClosedPartFile(exception)) {
            LOG.debug("An upload part's file was closed already when Vert.x cancelled its stream again", exception);
        } else if (before != null) {
            before.handle(exception);
        } else {
            LOG.error("Unhandled exception", exception);
        }
    }

    static boolean isSecondCancelOfAClosedPartFile(Throwable exception) {
        if (!(exception instanceof IllegalStateException) || !CLOSED_FILE.equals(exception.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (FILE_UPLOAD.equals(frame.getClassName()) && CANCEL_STREAM.equals(frame.getMethodName())) {
                return true;
            }
        }
        return false;
    }
}
