package org.octgateway.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.octgateway.api.ApiError;
import org.octgateway.api.RequestHeaders;

/** Checks a Webhook-Url header: an absolute http(s) URL with a host the gateway may call. */
public final class WebhookUrl {

    private WebhookUrl() {
    }

    public static String validate(String value, AllowList allowedHosts) {
        if (value == null || value.isBlank()) {
            throw ApiError.missingHeader(RequestHeaders.WEBHOOK_URL);
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must be an absolute http:// or https:// URL.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must name a host.");
        }
        if (uri.getUserInfo() != null) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must not carry credentials.");
        }
        if (!allowedHosts.allows(uri.getHost())) {
            throw new ApiError(403, "webhook_host_not_allowed", "The Webhook-Url host '" + uri.getHost()
                    + "' is not in the gateway's allowed webhook hosts (gateway.webhook.allowed-hosts).");
        }
        return uri.toString();
    }
}
