package org.octgateway;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A piece of the gateway's start done on a thread of its own while the main thread goes on (camel-main building the
 * routes), and waited for where its result is needed: on a 2-core machine a cold start's slow pieces then overlap
 * instead of following each other (EmbeddedBroker, StateStoreStart, the trust store in GatewayApplication).
 */
public final class BackgroundStart<T> {

    private final CompletableFuture<T> result = new CompletableFuture<>();

    private BackgroundStart() {
    }

    /** Begins {@code work} on a daemon thread named {@code threadName}: it never keeps the process alive by itself. */
    public static <T> BackgroundStart<T> begin(String threadName, Callable<T> work) {
        BackgroundStart<T> start = new BackgroundStart<>();
        Thread thread = new Thread(() -> {
            try {
                start.result.complete(work.call());
            } catch (Throwable failure) {
                start.result.completeExceptionally(failure);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return start;
    }

    /** Waits for the work and answers its result; throws what it threw. */
    public T await() throws Exception {
        try {
            return result.join();
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    /** Waits for the work to end, whatever its outcome: before releasing what it uses. */
    public void awaitEnd() {
        result.exceptionally(failed -> null).join();
    }
}
