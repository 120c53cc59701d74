package org.octgateway.validation;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which webhooks the gateway may call (the SSRF guard, after OWASP's SSRF prevention guidance). Asked twice:
 * when a request is accepted (so the caller gets a clear 403) and for every address the webhook client is about
 * to connect to (so DNS rebinding or a record changed after acceptance reaches nothing internal).
 * <ul>
 * <li>{@code gateway.webhook.allowed-hosts}: empty, any host name; otherwise only these names (exact, or
 * {@code *.domain} for the domain and its subdomains). A name listed <em>exactly</em> is the operator's own
 * receiver and may resolve to any address (e.g. {@code localhost} in tests, an integration engine on the
 * hospital network); names matched by a wildcard still get the address check.</li>
 * <li>Every other address must be public: loopback, private, link-local (cloud metadata), shared, unique-local,
 * multicast, unspecified, documentation and reserved ranges are refused ({@link IpAddresses}), unless the
 * address is in {@code gateway.webhook.allowed-subnets}.</li>
 * <li>With the demo on ({@code gateway.demo.enabled}) loopback addresses on the business port are allowed, so
 * the demo's own sink ({@code /demo/webhook}) can be called; nothing else on loopback.</li>
 * </ul>
 */
public class WebhookAddressPolicy {

    private final List<String> allowedHosts;
    private final List<Subnet> allowedSubnets;
    private final int demoLoopbackPort;

    /**
     * @param demoLoopbackPort the business port when the demo is on (loopback is allowed there), else -1
     */
    public WebhookAddressPolicy(String allowedHosts, String allowedSubnets, int demoLoopbackPort) {
        this.allowedHosts = entries(allowedHosts).stream().map(entry -> entry.toLowerCase(Locale.ROOT)).toList();
        this.allowedSubnets = entries(allowedSubnets).stream().map(Subnet::parse).toList();
        this.demoLoopbackPort = demoLoopbackPort;
    }

    private static List<String> entries(String setting) {
        return setting == null ? List.of()
                : Arrays.stream(setting.split(",")).map(String::trim).filter(entry -> !entry.isEmpty()).toList();
    }

    /** Whether a Webhook-Url may name this host at all (gateway.webhook.allowed-hosts). */
    public boolean allowsName(String host) {
        if (allowedHosts.isEmpty()) {
            return true;
        }
        String name = normalised(host);
        for (String entry : allowedHosts) {
            if (entry.equals("*") || entry.equals(name)
                    || entry.startsWith("*.") && (name.endsWith(entry.substring(1)) || name.equals(entry.substring(2)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the gateway must not connect to {@code address}:{@code port} for the URL host {@code host}
     * (e.g. "127.0.0.1 is a loopback address"), or empty when it may.
     */
    public Optional<String> refusal(String host, InetAddress address, int port) {
        Optional<String> kind = IpAddresses.blockedKind(address);
        if (kind.isEmpty() || isListedExactly(host) || allowedSubnets.stream().anyMatch(subnet -> subnet.contains(address))) {
            return Optional.empty();
        }
        if (demoLoopbackPort > 0 && port == demoLoopbackPort && IpAddresses.effective(address).isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of(address.getHostAddress() + " is " + kind.get());
    }

    private boolean isListedExactly(String host) {
        return allowedHosts.contains(normalised(host));
    }

    private static String normalised(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
