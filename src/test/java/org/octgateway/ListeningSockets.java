package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The addresses TCP sockets are listening on, as the kernel reports them (/proc/net/tcp and /proc/net/tcp6): what
 * {@code ss -ltn} shows, read without connecting anywhere.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** Every local address a socket listens on at {@code port} (empty when nothing listens there). */
    static List<InetAddress> on(int port) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
                    String[] fields = line.trim().split("\\s+");
                    String[] local = fields[1].split(":");
                    if (LISTEN.equals(fields[3]) && Integer.parseInt(local[1], 16) == port) {
                        addresses.add(address(local[0]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return addresses;
    }

    /** The kernel writes each 32-bit word of the address in host (little-endian) byte order. */
    private static InetAddress address(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address comes back as the IPv4 one
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
