package org.octgateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One TCP connection to the gateway on which the test writes every byte itself (malformed requests, slow
 * clients) and reads the answer as it comes: {@link java.net.http.HttpClient} would refuse or fix them.
 */
final class RawConnection implements AutoCloseable {

    /** An HTTP answer as read off the wire. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) {
        try {
            socket = new Socket("localhost", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer: status line, headers, and a Content-Length body. Fails if the connection closes first. */
    Answer answer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        String head = readHead();
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? readChunks()
                : in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Waits for the server to close the connection and returns what it sent before (usually nothing), or fails
     * if it is still open after {@code within}.
     */
    String closedWithin(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                received.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection is still open after " + within + "; received: " + received);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int size;
        do {
            size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
            body.writeBytes(in.readNBytes(size));
            readLine(); // the CRLF after the chunk (after the last, empty one: no trailers expected)
        } while (size > 0);
        return body.toByteArray();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new IOException("connection closed in a chunked body");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed before an answer; received: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1).trim();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the server already closed
        }
    }
}
