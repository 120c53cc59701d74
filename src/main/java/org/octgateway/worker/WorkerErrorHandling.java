package org.octgateway.worker;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * How a job fails ({@code worker-errors}): the inference server's 5xx/429 answers, timeouts and
 * refused connections are retried with exponential backoff up to {@code gateway.inference.max-attempts};
 * then, or at once for anything permanent (a 4xx, a missing image), the job becomes an error envelope
 * for the caller's webhook. Nothing is dropped: what cannot even be announced rolls back to the queue.
 */
public class WorkerErrorHandling extends RouteConfigurationBuilder {

    public static final String WORKER_ERRORS = "worker-errors";
    /**
     * For the routes a job calls into (storage providers, publishing): no error handling of their own, so
     * a failure there reaches the caller's policy instead of being logged and given up on half-way.
     */
    public static final String PROPAGATE_ERRORS = "propagate-errors";

    @PropertyInject("gateway.inference.max-attempts")
    int maxAttempts;
    @PropertyInject("gateway.inference.retry-delay-ms")
    long retryDelayMs;
    @PropertyInject("gateway.inference.max-retry-delay-ms")
    long maxRetryDelayMs;

    @Override
    public void configuration() {
        routeConfiguration(PROPAGATE_ERRORS).errorHandler(noErrorHandler());

        var configuration = routeConfiguration(WORKER_ERRORS);
        retried(configuration.onException(HttpOperationFailedException.class).onWhen(WorkerErrorHandling::isTransient));
        // No answer: refused or reset connections, timeouts, a server that hung up.
        retried(configuration.onException(ConnectException.class, SocketException.class, InterruptedIOException.class,
                NoHttpResponseException.class, ConnectionClosedException.class));
        configuration.onException(Exception.class)
                .handled(true)
                .logExhausted(false)
                .to("direct:job-failed")
                .end();
    }

    private void retried(OnExceptionDefinition onException) {
        onException
                .maximumRedeliveries(Math.max(0, maxAttempts - 1))
                .redeliveryDelay(retryDelayMs)
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(maxRetryDelayMs)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logRetryStackTrace(false)
                .logExhausted(false)
                .handled(true)
                .to("direct:job-failed")
                .end();
    }

    /** 5xx and 429 are the inference server's way of saying "not now"; other statuses are final. */
    static boolean isTransient(Exchange exchange) {
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        int status = failure == null ? 0 : failure.getStatusCode();
        return status >= 500 || status == 429;
    }
}
