package org.octgateway.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * What one webhook attempt may cost, enforced around the whole exchange (the outermost step of the webhook
 * client's chain, so DNS, connect, request and response are all inside it):
 * <ul>
 * <li>a deadline for the whole attempt: at the deadline the connection is closed, whatever the webhook is doing
 * (a per-read timeout alone lets a webhook trickling one byte at a time hold a delivery thread for ever);</li>
 * <li>at most {@code maxResponseBytes} of the answer are read; the rest is never downloaded (the connection is
 * dropped instead), so a webhook answering an endless body costs a few KB;</li>
 * <li>at most {@code perHostLimit} attempts at once per host ({@link HostSlots}).</li>
 * <li>whatever happens, no pooled connection stays leased once the attempt returns.</li>
 * </ul>
 */
class AttemptLimits implements ExecChainHandler {

    /** One daemon thread that closes connections whose deadline has passed. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration deadline;
    private final int maxResponseBytes;
    private final HostSlots hostSlots;

    AttemptLimits(Duration deadline, int maxResponseBytes, int perHostLimit) {
        this.deadline = deadline;
        this.maxResponseBytes = maxResponseBytes;
        this.hostSlots = new HostSlots(perHostLimit);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        String host = hostSlots.acquire(scope.route.getTargetHost().getHostName());
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = DEADLINES.schedule(() -> {
            expired.set(true);
            abort(scope);
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            keepOnlyTheHead(response, scope);
            return response;
        } catch (IOException e) {
            if (expired.get()) {
                throw new WebhookDeadlineExceeded(deadline, e);
            }
            throw e;
        } finally {
            alarm.cancel(false);
            hostSlots.release(host);
        }
    }

    private static void abort(ExecChain.Scope scope) {
        if (scope.originalRequest instanceof Cancellable cancellable) {
            cancellable.cancel();
        }
        scope.execRuntime.discardEndpoint();
    }

    /**
     * Replaces the streamed answer with its first {@code maxResponseBytes}. An answer that ends within them leaves
     * the connection reusable; a longer one is cut off by dropping the connection, never by reading it to its end.
     */
    private void keepOnlyTheHead(ClassicHttpResponse response, ExecChain.Scope scope) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return;
        }
        InputStream content = entity.getContent();
        byte[] head = content.readNBytes(maxResponseBytes);
        boolean more = content.read() != -1;
        // An answer read to its end has given its connection back to the pool. Anything else (a longer answer, or a
        // stream that stopped short of the connection's end) drops the connection: the caller (camel-http) closes
        // the response only when the exchange completes, and a connection held until then starves the pool.
        if (more || scope.execRuntime.isEndpointAcquired()) {
            scope.execRuntime.discardEndpoint();
        }
        response.setEntity(new ByteArrayEntity(head, ContentType.parseLenient(entity.getContentType())));
    }
}
