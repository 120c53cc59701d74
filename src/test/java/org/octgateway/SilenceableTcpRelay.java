package org.octgateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback to a real server that can fall silent, as a broker host that loses power or a network that
 * drops every packet does: {@link #silence()} keeps every connection open and forwards nothing either way (no FIN, no
 * RST: the peers see only silence), {@link #resume()} forwards what was held and goes on. Connections opened while
 * silent are accepted and held too. It can also {@link #cut()} every connection, as the server's death would.
 */
final class SilenceableTcpRelay implements AutoCloseable {

    final int port = TestPorts.free();
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean silent;
    private volatile boolean refusing;

    SilenceableTcpRelay(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("relay-accept-" + port, this::accept);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void silence() {
        silent = true;
    }

    /**
     * Closes every connection and refuses new ones until {@link #restore()}: the peers see what a server's death
     * shows them, while the server itself keeps running (no restart between the test and what it looks at).
     */
    void cut() {
        refusing = true;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    void restore() {
        refusing = false;
    }

    void resume() {
        synchronized (gate) {
            silent = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                daemon("relay-to-server", () -> pump(client, server));
                daemon("relay-to-client", () -> pump(server, client));
            } catch (IOException serverDown) {
                closeQuietly(client); // as the server itself would refuse it
            }
        }
    }

    /** Copies {@code from} to {@code to}, holding each read while the relay is silent; closes both at the end. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read; (read = in.read(buffer)) >= 0; ) {
                awaitNotSilent();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed, or the relay: the other side is closed with it
        }
    }

    private void awaitNotSilent() throws InterruptedException {
        synchronized (gate) {
            while (silent) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        resume();
        try {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
