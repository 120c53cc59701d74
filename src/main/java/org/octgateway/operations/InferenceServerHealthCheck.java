package org.octgateway.operations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Whether the inference server accepts connections. Informational: it shows in the full health output
 * but never makes the gateway unready or unlive (jobs wait in the queue while the model server is down:
 * that is the point of the queue), so an unreachable server reports UNKNOWN, not DOWN.
 */
public class InferenceServerHealthCheck extends InformationalHealthCheck {

    private static final int CONNECT_TIMEOUT_MS = 1000;
    private final URI inferenceUrl;

    public InferenceServerHealthCheck(String inferenceUrl) {
        super("inference-server");
        this.inferenceUrl = URI.create(inferenceUrl);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        int port = inferenceUrl.getPort() > 0 ? inferenceUrl.getPort()
                : "https".equalsIgnoreCase(inferenceUrl.getScheme()) ? 443 : 80;
        builder.detail("host", inferenceUrl.getHost()).detail("port", port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(inferenceUrl.getHost(), port), CONNECT_TIMEOUT_MS);
            builder.detail("reachable", true).up();
        } catch (IOException e) {
            builder.detail("reachable", false)
                    .message("the inference server does not accept connections; jobs wait in the queue").unknown();
        }
    }
}
