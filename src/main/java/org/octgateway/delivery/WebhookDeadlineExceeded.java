package org.octgateway.delivery;

import java.io.IOException;
import java.time.Duration;

/** The webhook did not connect and answer in full within the attempt's deadline (gateway.webhook.timeout-ms). */
public class WebhookDeadlineExceeded extends IOException {

    public WebhookDeadlineExceeded(Duration deadline, Throwable cause) {
        super("no complete answer within " + deadline.toMillis() + " ms", cause);
    }
}
