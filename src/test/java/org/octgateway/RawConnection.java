package org.octgateway;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket on which the test writes every byte itself (malformed requests, a
 * body in pieces at the test's pace, a lying Content-Length, chunked bodies, hanging up half-way) and reads the
 * answers as they come, each within a deadline: {@link java.net.http.HttpClient} would refuse or fix such requests.
 */
final class RawConnection implements AutoCloseable {

    /** How long {@link #answer()} waits. */
    private static final Duration PATIENTLY = Duration.ofSeconds(30);

    /** An answer as read off the wire: header names in lower case (the last value wins), the body as UTF-8 text. */
    record Response(int status, Map<String, String> headers, String body) {
        /** The header's value, or "" when the answer has none. */
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private long readDeadline; // System.nanoTime() by which the current read must have bytes

    RawConnection(int port) {
        this(port, Duration.ofSeconds(5));
    }

    RawConnection(int port, Duration connectTimeout) {
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) connectTimeout.toMillis());
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            close();
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

    /** Sends the request line, "Host: localhost", the headers (each "Name: value"), then the blank line. */
    RawConnection head(String requestLine, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: localhost\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return send(head.append("\r\n").toString());
    }

    /** Sends {@code bytes} as one chunk of a chunked body. */
    RawConnection chunk(byte[] bytes) {
        return send(chunked(bytes));
    }

    RawConnection lastChunk() {
        return send("0\r\n\r\n");
    }

    /** {@code data} framed as one chunk of a chunked body: size in hex, CRLF, the bytes, CRLF. */
    static byte[] chunked(byte[] data) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        chunk.writeBytes(data);
        chunk.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return chunk.toByteArray();
    }

    /** Reads one answer, waiting at most 30 s for it. */
    Response answer() throws IOException {
        return answer(PATIENTLY);
    }

    /**
     * Reads one answer (skipping any 100 Continue) within {@code within}: its body by Transfer-Encoding: chunked, by
     * Content-Length, or to the end of the connection. A {@link SocketTimeoutException} when it does not come in
     * time, an {@link EOFException} when the connection closes first.
     */
    Response answer(Duration within) throws IOException {
        readDeadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<String> head = readHead();
            String[] statusLine = head.get(0).split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + head.get(0));
            }
            int status = Integer.parseInt(statusLine[1].trim());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            if (status == 100) {
                continue; // 100 Continue: the real answer follows
            }
            boolean bodiless = status < 200 || status == 204 || status == 304;
            byte[] body = bodiless ? new byte[0] : readBody(headers);
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits for the server to close the connection and returns what it sent before (usually nothing), or fails
     * if it is still open after {@code within}.
     */
    String closedWithin(Duration within) {
        readDeadline = System.nanoTime() + within.toNanos();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = read()) != -1) {
                received.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection is still open after " + within + "; received: "
                    + received.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException reset) {
            // a reset is a close too
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private List<String> readHead() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new EOFException(lines.isEmpty() ? "without an answer" : "in the middle of the answer's headers");
            }
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue;
                }
                return lines;
            }
            lines.add(line);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
            if (line.size() > 1 << 20) {
                throw new IOException("answer line over 1 MB");
            }
        }
    }

    private byte[] readBody(Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = readLine();
                if (sizeLine == null) {
                    throw new EOFException("in the middle of a chunked answer");
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    readLine(); // no trailers expected
                    return body.toByteArray();
                }
                copy(body, size);
                readLine();
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            copy(body, Integer.parseInt(length.trim()));
            return body.toByteArray();
        }
        int b;
        while ((b = read()) >= 0) { // no length: the body ends with the connection
            body.write(b);
        }
        return body.toByteArray();
    }

    private void copy(ByteArrayOutputStream body, int size) throws IOException {
        for (int i = 0; i < size; i++) {
            int b = read();
            if (b < 0) {
                throw new EOFException("after " + i + " of " + size + " body bytes");
            }
            body.write(b);
        }
    }

    /** The next byte, or -1 at the end of the connection; each read bounded by what is left of the deadline. */
    private int read() throws IOException {
        if (position == limit) {
            long left = Duration.ofNanos(readDeadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            socket.setSoTimeout((int) left);
            limit = in.read(buffer);
            position = 0;
            if (limit < 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xFF;
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
