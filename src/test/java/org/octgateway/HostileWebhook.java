package org.octgateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook that misbehaves, on a real socket on a loopback address: it accepts connections and then never
 * answers, trickles its answer a byte at a time, or answers 200 with a body that never ends. It records every
 * connection (when it was accepted and when the gateway closed it) and the bytes it managed to send.
 */
final class HostileWebhook implements AutoCloseable {

    enum Behaviour { BLACK_HOLE, TRICKLE, ENDLESS_BODY }

    /** One connection the gateway opened: accepted at {@code openedNanos}, closed by the gateway at {@code closedNanos} (0 while open). */
    static final class Connection {
        final long openedNanos = System.nanoTime();
        volatile long closedNanos;

        Duration held() {
            return Duration.ofNanos((closedNanos == 0 ? System.nanoTime() : closedNanos) - openedNanos);
        }
    }

    private final Behaviour behaviour;
    private final Duration trickleInterval;
    private final ServerSocket server;
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final AtomicLong bytesSent = new AtomicLong();

    HostileWebhook(String loopbackAddress, Behaviour behaviour, Duration trickleInterval) {
        this.behaviour = behaviour;
        this.trickleInterval = trickleInterval;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName(loopbackAddress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "hostile-webhook-" + behaviour);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(String host, String path) {
        return "http://" + host + ":" + server.getLocalPort() + path;
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection();
                connections.add(connection);
                Thread handler = new Thread(() -> serve(socket, connection), "hostile-webhook-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket, Connection connection) {
        try (socket) {
            socket.setSendBufferSize(16 * 1024);
            OutputStream out = socket.getOutputStream();
            switch (behaviour) {
                case BLACK_HOLE -> {
                    // never answer; notice when the gateway gives up (read returns -1 or fails)
                    while (socket.getInputStream().read() != -1) {
                        // the request is read and ignored
                    }
                }
                case TRICKLE -> {
                    for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        bytesSent.incrementAndGet();
                        Thread.sleep(trickleInterval.toMillis());
                    }
                    // the whole answer took longer than any deadline; wait for the close
                    while (socket.getInputStream().read() != -1) {
                        // ignore
                    }
                }
                case ENDLESS_BODY -> {
                    byte[] head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1073741824\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII);
                    out.write(head);
                    byte[] chunk = new byte[8192];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    while (true) {
                        out.write(chunk);
                        bytesSent.addAndGet(chunk.length);
                    }
                }
                default -> throw new IllegalStateException();
            }
        } catch (IOException gatewayClosedIt) {
            // the gateway closed the connection: that is what the test waits for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.closedNanos = System.nanoTime();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
