package org.octgateway.delivery;

import org.octgateway.validation.WebhookAddressRefused;
import org.octgateway.validation.WebhookAddressPolicy;
import org.octgateway.validation.IpAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The webhook client's only way from a host name to the addresses it connects to: resolves once, drops every
 * address the {@link WebhookAddressPolicy} refuses, and hands the rest to the connection operator, which connects
 * to exactly those (no second lookup, so DNS rebinding between check and connect is impossible).
 */
class GuardedDnsResolver implements DnsResolver {

    private final WebhookAddressPolicy policy;

    GuardedDnsResolver(WebhookAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> permitted = new ArrayList<>();
        Set<String> refusals = new LinkedHashSet<>();
        for (InetAddress address : lookUp(host)) {
            Optional<String> refusal = policy.refusal(host, address, port);
            if (refusal.isPresent()) {
                refusals.add(refusal.get());
            } else {
                permitted.add(new InetSocketAddress(address, port));
            }
        }
        if (permitted.isEmpty()) {
            throw new WebhookAddressRefused("the webhook host resolves only to addresses the gateway may not call ("
                    + String.join("; ", refusals) + ")");
        }
        return permitted;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        List<InetSocketAddress> permitted = resolve(host, -1);
        return permitted.stream().map(InetSocketAddress::getAddress).toArray(InetAddress[]::new);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

    /** IP literals are read the same way as at accept time ({@link IpAddresses}); names go to the system resolver. */
    private static InetAddress[] lookUp(String host) throws UnknownHostException {
        Optional<InetAddress> literal;
        try {
            literal = IpAddresses.literal(host);
        } catch (IllegalArgumentException e) {
            throw new WebhookAddressRefused(e.getMessage());
        }
        return literal.isPresent() ? new InetAddress[] {literal.get()} : SystemDefaultDnsResolver.INSTANCE.resolve(host);
    }
}
