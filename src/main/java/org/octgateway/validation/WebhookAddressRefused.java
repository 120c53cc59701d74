package org.octgateway.validation;

import java.net.UnknownHostException;

/**
 * The webhook's host resolves only to addresses the gateway may not call ({@link WebhookAddressPolicy}): nothing
 * was connected to. Permanent: the delivery is dead-lettered with this reason, not retried.
 */
public class WebhookAddressRefused extends UnknownHostException {

    public WebhookAddressRefused(String reason) {
        super(reason);
    }
}
