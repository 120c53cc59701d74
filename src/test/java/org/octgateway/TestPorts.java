package org.octgateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers a test starts on a port it names: the gateway's two listeners, a TCP broker, Azurite,
 * S3Proxy, a port that nothing must answer on.
 * <p>
 * They come from below the kernel's ephemeral range, never from a {@code new ServerSocket(0)} that is closed again.
 * The kernel hands out that range to every {@code bind(0)} (WireMock's dynamic ports, embedded PostgreSQL) and to
 * every outgoing connection, so a port picked there and freed could be taken before its server binds it: CI once saw
 * the gateway's HTTP port go to a WireMock that started in between (/ping answered 404, the next start failed with
 * "Address already in use"). Within this JVM no port is handed out twice; each is checked to be free when handed out.
 */
final class TestPorts {

    private static final int LOWEST = 15000;
    private static final int[] RANGE = range();
    /** A random start, so that two test JVMs on one machine seldom walk the same ports. */
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGE[1] - RANGE[0]));

    private TestPorts() {
    }

    /** A port no server listens on now, outside the kernel's ephemeral range, not handed out before in this JVM. */
    static int free() {
        int size = RANGE[1] - RANGE[0] + 1;
        for (int tried = 0; tried < size; tried++) {
            int port = RANGE[0] + Math.floorMod(NEXT.getAndIncrement(), size);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + RANGE[0] + " and " + RANGE[1]);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** [first, last]: the ports below the ephemeral range (Linux's own default, 32768-60999, where it cannot be read). */
    private static int[] range() {
        int ephemeralLow = 32768;
        // A line read, not Files.readString: procfs reports size 0, and Java 17 then reads only the first byte ("3").
        try (BufferedReader file = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            ephemeralLow = Integer.parseInt(file.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no /proc: keep the default
        }
        if (ephemeralLow - LOWEST < 1000) {
            throw new IllegalStateException("the ephemeral port range starts at " + ephemeralLow
                    + ": too low to leave the tests ports of their own below it");
        }
        return new int[] {LOWEST, ephemeralLow - 1};
    }
}
