package org.octgateway.validation;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * IP addresses as an SSRF guard must see them: every spelling of a literal (dotted, decimal {@code 2130706433},
 * octal {@code 0177.0.0.1}, hex {@code 0x7f000001}, short {@code 127.1}, IPv6 with or without brackets, IPv4
 * embedded in IPv6) read as the address it really is, and the ranges a webhook must never reach named.
 */
public final class IpAddresses {

    /** A range the gateway never calls, with what it is (for the caller's 403 message). */
    private record Blocked(Subnet subnet, String what) {
    }

    private static final List<Blocked> BLOCKED = List.of(
            blocked("0.0.0.0/8", "an unspecified (\"this network\") address"),
            blocked("10.0.0.0/8", "a private address"),
            blocked("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            blocked("127.0.0.0/8", "a loopback address"),
            blocked("169.254.0.0/16", "a link-local address (this range holds the cloud metadata service)"),
            blocked("172.16.0.0/12", "a private address"),
            blocked("192.0.0.0/24", "a reserved (IETF protocol) address"),
            blocked("192.0.2.0/24", "a documentation address"),
            blocked("192.88.99.0/24", "a reserved (6to4 relay) address"),
            blocked("192.168.0.0/16", "a private address"),
            blocked("198.18.0.0/15", "a reserved (benchmarking) address"),
            blocked("198.51.100.0/24", "a documentation address"),
            blocked("203.0.113.0/24", "a documentation address"),
            blocked("224.0.0.0/4", "a multicast address"),
            blocked("240.0.0.0/4", "a reserved or broadcast address"),
            blocked("::/128", "an unspecified address"),
            blocked("::1/128", "a loopback address"),
            blocked("64:ff9b:1::/48", "a local NAT64 address"),
            blocked("100::/64", "a reserved (discard) address"),
            blocked("2001::/23", "a reserved (IETF protocol) address"),
            blocked("2001:db8::/32", "a documentation address"),
            blocked("3fff::/20", "a documentation address"),
            blocked("fc00::/7", "a unique-local (private) address"),
            blocked("fe80::/10", "a link-local address"),
            blocked("fec0::/10", "a site-local address"),
            blocked("ff00::/8", "a multicast address"));

    private static final Subnet GLOBAL_UNICAST_V6 = Subnet.parse("2000::/3");
    private static final Subnet NAT64 = Subnet.parse("64:ff9b::/96");
    private static final Subnet SIX_TO_FOUR = Subnet.parse("2002::/16");

    private IpAddresses() {
    }

    private static Blocked blocked(String cidr, String what) {
        return new Blocked(Subnet.parse(cidr), what);
    }

    /**
     * The address a URL host spells, if it is an IP literal in any form a resolver might accept; empty for a
     * host name. Throws {@link IllegalArgumentException} for a host that looks numeric but is no valid address
     * (e.g. {@code 256.1.1.1}): no DNS name ends in a numeric label.
     */
    public static Optional<InetAddress> literal(String host) {
        String candidate = host.trim();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        if (candidate.contains(":")) {
            return Optional.of(ipv6(candidate));
        }
        if (candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1); // "127.0.0.1." is the same address
        }
        String[] labels = candidate.split("\\.", -1);
        String last = labels[labels.length - 1].toLowerCase(Locale.ROOT);
        if (last.isEmpty() || !Character.isDigit(last.charAt(0))) {
            return Optional.empty();
        }
        return Optional.of(ipv4(labels, host));
    }

    private static InetAddress ipv6(String text) {
        int zone = text.indexOf('%');
        String address = zone >= 0 ? text.substring(0, zone) : text;
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
        }
        try {
            return InetAddress.getByName(address); // a literal with ':' is parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
        }
    }

    /** The BSD inet_aton reading: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
    private static InetAddress ipv4(String[] labels, String original) {
        IllegalArgumentException invalid = new IllegalArgumentException("'" + original + "' is not a valid host name or IP address");
        if (labels.length > 4) {
            throw invalid;
        }
        long[] parts = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            parts[i] = number(labels[i].toLowerCase(Locale.ROOT), invalid);
        }
        long value = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i] > 255) {
                throw invalid;
            }
            value = (value << 8) | parts[i];
        }
        int lastBits = 8 * (4 - (parts.length - 1));
        long last = parts[parts.length - 1];
        if (last >= (1L << lastBits)) {
            throw invalid;
        }
        value = (value << lastBits) | last;
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw invalid;
        }
    }

    private static long number(String label, IllegalArgumentException invalid) {
        try {
            if (label.startsWith("0x")) {
                return label.length() == 2 ? 0 : checked(Long.parseLong(label.substring(2), 16), invalid);
            }
            if (label.length() > 1 && label.startsWith("0")) {
                return checked(Long.parseLong(label.substring(1), 8), invalid);
            }
            return checked(Long.parseLong(label), invalid);
        } catch (NumberFormatException e) {
            throw invalid;
        }
    }

    private static long checked(long value, IllegalArgumentException invalid) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw invalid;
        }
        return value;
    }

    /**
     * The address that is really reached: the IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or
     * 6to4 IPv6 address, else the address itself.
     */
    public static InetAddress effective(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = isZero(b, 0, 12) && !isZero(b, 12, 16) && !(isZero(b, 12, 15) && b[15] == 1);
            if (mapped || compatible || NAT64.contains(v6)) {
                return v4(b[12], b[13], b[14], b[15]);
            }
            if (SIX_TO_FOUR.contains(v6)) {
                return v4(b[2], b[3], b[4], b[5]);
            }
        }
        return address;
    }

    /** What kind of address the gateway never calls this is (e.g. "a loopback address"), or empty for a public one. */
    public static Optional<String> blockedKind(InetAddress address) {
        InetAddress effective = effective(address);
        for (Blocked blocked : BLOCKED) {
            if (blocked.subnet().contains(effective)) {
                return Optional.of(blocked.what());
            }
        }
        if (effective instanceof Inet6Address && !GLOBAL_UNICAST_V6.contains(effective)) {
            return Optional.of("a reserved IPv6 address");
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte a, byte b, byte c, byte d) {
        try {
            return Inet4Address.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
