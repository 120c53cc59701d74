package org.octgateway.api;

import java.time.Duration;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.octgateway.CapturedLog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Exceptions a Vert.x handler leaves unhandled are still logged at ERROR with their trace; only Vert.x's second cancel
 * of an upload part whose file is closed is not (UploadFilesTest shows that one gone from real uploads).
 */
class UnhandledVertxExceptionsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void anyOtherUnhandledExceptionIsLoggedAtErrorWithItsTrace() {
        UnhandledVertxExceptions.install(vertx);
        try (CapturedLog log = new CapturedLog("")) {
            vertx.runOnContext(ignored -> {
                throw new IllegalStateException("File handle is closed"); // the same message, from elsewhere
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> log.text().contains("ERROR UnhandledVertxExceptions"
                    + " - Unhandled exception java.lang.IllegalStateException: File handle is closed"));
        }
    }

    @Test
    void theSecondCancelOfAClosedPartFileIsNotAnError() {
        UnhandledVertxExceptions.install(vertx);
        try (CapturedLog log = new CapturedLog("")) {
            vertx.runOnContext(ignored -> {
                IllegalStateException closed = new IllegalStateException("File handle is closed");
                closed.setStackTrace(new StackTraceElement[] {
                        new StackTraceElement("io.vertx.core.file.impl.AsyncFileImpl", "checkClosed", "AsyncFileImpl.java", 550),
                        new StackTraceElement("io.vertx.core.streams.impl.PipeImpl", "close", "PipeImpl.java", 138),
                        new StackTraceElement("io.vertx.core.http.impl.HttpServerFileUploadImpl", "cancelStreamToFileSystem",
                                "HttpServerFileUploadImpl.java", 225)});
                throw closed;
            });
            vertx.runOnContext(ignored -> {
                throw new IllegalArgumentException("the next one");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> log.text().contains("the next one"));
            assertFalse(log.text().contains("File handle is closed"), log.text());
        }
    }

    @Test
    void theHandlerVertxHadBeforeStillGetsTheOthers() {
        StringBuilder seen = new StringBuilder();
        vertx.exceptionHandler(exception -> {
            synchronized (seen) {
                seen.append(exception.getMessage());
            }
        });
        UnhandledVertxExceptions.install(vertx);
        vertx.runOnContext(ignored -> {
            throw new IllegalStateException("passed on");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (seen) {
                return seen.toString().equals("passed on");
            }
        });
    }
}
