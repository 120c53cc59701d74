package org.octgateway.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range in CIDR notation ({@code 10.20.0.0/16}, {@code fd00::/8}; a bare address is a /32 or /128). */
public record Subnet(byte[] network, int prefixLength) {

    public static Subnet parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.isEmpty() || !address.matches("[0-9A-Fa-f:.\\[\\]]+")) {
            throw new IllegalArgumentException("'" + cidr + "' is not a subnet (CIDR notation, e.g. 10.20.0.0/16)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // an IP literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a subnet (CIDR notation, e.g. 10.20.0.0/16)");
        }
        int length;
        try {
            length = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
        }
        if (length < 0 || length > bytes.length * 8) {
            throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
        }
        return new Subnet(bytes, length);
    }

    /** Whether the address is in this range (IPv4-mapped and other embedded forms are compared as IPv4). */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            candidate = IpAddresses.effective(address).getAddress();
            if (candidate.length != network.length) {
                return false;
            }
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int restBits = prefixLength % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - restBits)) & 0xff;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }
}
