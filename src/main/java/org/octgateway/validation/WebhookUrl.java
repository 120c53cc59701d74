package org.octgateway.validation;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.octgateway.contract.ApiError;
import org.octgateway.contract.RequestHeaders;
import org.octgateway.validation.IpAddresses;
import org.octgateway.validation.WebhookAddressPolicy;

/**
 * Checks a Webhook-Url header: an absolute http(s) URL, port 1-65535, no credentials, a host the gateway may
 * call (gateway.webhook.allowed-hosts) whose addresses are public or explicitly allowed ({@link WebhookAddressPolicy}).
 * A host name that does not resolve now is accepted: DNS may be down for a moment, and the webhook client checks
 * every address again when it connects (the delivery is retried, then dead-lettered with the reason).
 */
public final class WebhookUrl {

    /** Letters, digits, '-', '_' and '.': what a DNS name (or an IPv4 spelling) is made of. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** The cloud providers' names for their instance metadata service (GCP, Azure, AWS, OpenStack). */
    private static final Set<String> CLOUD_METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "metadata.azure.internal", "instance-data", "instance-data.ec2.internal");
    private static final InetAddress CLOUD_METADATA_ADDRESS = IpAddresses.literal("169.254.169.254").orElseThrow();

    private WebhookUrl() {
    }

    /** Host and port as written in the URL (the port is the scheme's default when none is written). */
    private record Authority(String host, int port) {
    }

    public static String validate(String value, WebhookAddressPolicy policy) {
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
        if (uri.getRawFragment() != null) {
            // a webhook never needs one, and parsers disagree on where the host ends around '#' and '@'
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must not carry a fragment ('#...').");
        }
        String rawAuthority = uri.getRawAuthority();
        if (rawAuthority == null || rawAuthority.isEmpty()) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must name a host.");
        }
        if (uri.getUserInfo() != null || rawAuthority.contains("@")) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must not carry credentials.");
        }
        Authority authority = authority(rawAuthority, scheme);
        if (!policy.allowsName(authority.host())) {
            throw new ApiError(403, "webhook_host_not_allowed", "The Webhook-Url host '" + authority.host()
                    + "' is not in the gateway's allowed webhook hosts (gateway.webhook.allowed-hosts).");
        }
        for (InetAddress address : addresses(authority.host())) {
            Optional<String> refusal = policy.refusal(authority.host(), address, authority.port());
            if (refusal.isPresent()) {
                throw new ApiError(403, "webhook_address_not_allowed", "The Webhook-Url host '" + authority.host()
                        + "' is refused: " + refusal.get() + ". The gateway calls only public addresses; operators list"
                        + " exceptions in gateway.webhook.allowed-subnets or gateway.webhook.allowed-hosts.");
            }
        }
        return uri.toString();
    }

    /**
     * Host and port from the raw authority: java.net.URI leaves the host null for spellings such as
     * {@code 2130706433} or {@code 127.1}, which resolvers still read as addresses.
     */
    private static Authority authority(String rawAuthority, String scheme) {
        String host = rawAuthority;
        String port = null;
        if (rawAuthority.startsWith("[")) {
            int close = rawAuthority.indexOf(']');
            if (close < 0) {
                throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "has an unclosed IPv6 address.");
            }
            host = rawAuthority.substring(0, close + 1);
            String rest = rawAuthority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "is not a valid URL.");
                }
                port = rest.substring(1);
            }
        } else if (rawAuthority.contains(":")) {
            host = rawAuthority.substring(0, rawAuthority.lastIndexOf(':'));
            port = rawAuthority.substring(rawAuthority.lastIndexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "must name a host.");
        }
        if (!host.startsWith("[") && !HOST_NAME.matcher(host).matches()) {
            // percent-escapes, NULs and other bytes a resolver might cut or decode differently than we check
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "names a host with characters a host name cannot"
                    + " have (letters, digits, '-', '_' and '.' only; internationalised names in their xn-- form).");
        }
        return new Authority(host, port == null || port.isEmpty() ? defaultPort(scheme) : port(port));
    }

    private static int port(String text) {
        int port;
        try {
            port = text.matches("[0-9]{1,5}") ? Integer.parseInt(text) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "has port '" + text + "': a port must be 1 to 65535.");
        }
        return port;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** The address an IP literal spells, or what a host name resolves to now (none when it does not resolve). */
    private static List<InetAddress> addresses(String host) {
        Optional<InetAddress> literal;
        try {
            literal = IpAddresses.literal(host);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidHeader(RequestHeaders.WEBHOOK_URL, "names '" + host
                    + "', which is neither a valid host name nor a valid IP address.");
        }
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return List.of(InetAddress.getLoopbackAddress()); // RFC 6761: always loopback, whatever DNS says today
        }
        if (CLOUD_METADATA_NAMES.contains(name)) {
            return List.of(CLOUD_METADATA_ADDRESS); // what these names resolve to inside a cloud, whatever DNS says here
        }
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
