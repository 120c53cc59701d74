package org.octgateway.delivery;

import org.octgateway.validation.WebhookAddressPolicy;
import java.time.Duration;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client webhooks are called with (routes/delivery.yaml: {@code httpClientConfigurer=#webhookHttpClient}):
 * every address it connects to passes the SSRF guard ({@link GuardedDnsResolver}), every attempt has a deadline,
 * a cap on the answer read and a per-host limit ({@link AttemptLimits}), and redirects are never followed.
 */
public class WebhookHttpClient implements HttpClientConfigurer {

    private final WebhookAddressPolicy policy;
    private final Duration deadline;
    private final int maxResponseBytes;
    private final int perHostLimit;
    private final int maxConnections;

    /**
     * @param maxConnections the most attempts under way at once (the delivery consumers), so no attempt waits
     *                       for a pooled connection
     */
    public WebhookHttpClient(WebhookAddressPolicy policy, Duration deadline, int maxResponseBytes, int perHostLimit,
                             int maxConnections) {
        this.policy = policy;
        this.deadline = deadline;
        this.maxResponseBytes = maxResponseBytes;
        this.perHostLimit = perHostLimit;
        this.maxConnections = maxConnections;
    }

    /** Called by camel-http for each webhook endpoint it creates (again after a route reload): a fresh pool each time. */
    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        Timeout timeout = Timeout.of(deadline);
        // Per-read timeouts a little beyond the deadline: the deadline (AttemptLimits) ends the attempt first and
        // names the reason; these only bound a read should the deadline's thread ever be late.
        Timeout readTimeout = Timeout.of(deadline.plusSeconds(1));
        builder.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(policy))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(readTimeout).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(readTimeout).build())
                .setMaxConnTotal(Math.max(maxConnections, 1))
                .setMaxConnPerRoute(Math.max(perHostLimit, 1))
                .build());
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(readTimeout)
                .setRedirectsEnabled(false)
                .build());
        builder.disableRedirectHandling();
        builder.disableAutomaticRetries();
        // The raw answer is read (at most max-response-bytes): no Accept-Encoding, no decompression (no gzip bombs).
        builder.disableContentCompression();
        builder.addExecInterceptorFirst("webhook-attempt-limits", new AttemptLimits(deadline, maxResponseBytes, perHostLimit));
    }
}
