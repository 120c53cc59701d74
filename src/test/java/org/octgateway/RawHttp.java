package org.octgateway;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One-shot HTTP/1.1 exchanges over a {@link RawConnection}, so a test controls every byte a client sends (bad header bytes, broken
 * multipart, lying Content-Length, chunked bodies, bodies that never end) and sees exactly what comes back, with a
 * deadline: a server that does not answer in time is a failure ("no hang"), not a stuck test.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** One request, built header by header; values are sent as their UTF-8 bytes, whatever characters they hold. */
    static final class Request {
        private final String method;
        private final String target;
        private final List<byte[]> headerLines = new ArrayList<>();
        private boolean host = true;
        private byte[] body = new byte[0];
        private String contentLength; // null: the body's length; "" : no Content-Length header at all
        private boolean chunked;
        private int declaredChunkSize = -1;
        private boolean incomplete; // the request is not finished: the client then waits, sending nothing more
        private boolean headersNeverEnd;

        Request(String method, String target) {
            this.method = method;
            this.target = target;
        }

        static Request get(String target) {
            return new Request("GET", target);
        }

        static Request post(String target) {
            return new Request("POST", target);
        }

        Request header(String name, String value) {
            return headerLine((name + ": " + value).getBytes(StandardCharsets.UTF_8));
        }

        Request headerBytes(String name, byte[] value) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes((name + ": ").getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(value);
            return headerLine(line.toByteArray());
        }

        /** A header line exactly as given (without its CRLF): may hold no colon, NULs, bare CRs. */
        Request headerLine(byte[] line) {
            headerLines.add(line);
            return this;
        }

        Request withoutHost() {
            host = false;
            return this;
        }

        Request body(String contentType, byte[] content) {
            if (contentType != null) {
                header("Content-Type", contentType);
            }
            body = content;
            return this;
        }

        Request body(String contentType, String content) {
            return body(contentType, content.getBytes(StandardCharsets.UTF_8));
        }

        /** The Content-Length header sent, whatever the body's real length ("" sends none). */
        Request contentLength(String value) {
            contentLength = value;
            return this;
        }

        /** Sends the body as chunks of {@code chunkSize} bytes (Transfer-Encoding: chunked). */
        Request chunked(int chunkSize) {
            chunked = true;
            declaredChunkSize = chunkSize;
            return this;
        }

        /** Sends the request as built, then nothing more: the body (or the headers) never end. */
        Request incomplete() {
            incomplete = true;
            return this;
        }

        /** Sends the header lines but never the blank line that ends them. */
        Request headersNeverEnd() {
            headersNeverEnd = true;
            return incomplete();
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            if (host) {
                out.writeBytes("Host: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            for (byte[] line : headerLines) {
                out.writeBytes(line);
                out.writeBytes(CRLF);
            }
            if (chunked) {
                out.writeBytes("Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (contentLength == null) {
                if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
                    out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            } else if (!contentLength.isEmpty()) {
                out.writeBytes(("Content-Length: " + contentLength + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes((headersNeverEnd ? "Connection: close\r\n" : "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (chunked) {
                for (int offset = 0; offset < body.length; offset += declaredChunkSize) {
                    out.writeBytes(RawConnection.chunked(
                            Arrays.copyOfRange(body, offset, Math.min(body.length, offset + declaredChunkSize))));
                }
                if (!incomplete) {
                    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } else {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String text = new String(bytes(), StandardCharsets.ISO_8859_1);
            return text.length() > 300 ? text.substring(0, 300) + "… (" + text.length() + " bytes)" : text;
        }
    }

    /** What came back: status, headers (lower-case names, last value wins), body as text, and how long it took. */
    record Response(int status, Map<String, String> headers, String body, long millis) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        String summary() {
            String shortBody = body.length() > 240 ? body.substring(0, 240) + "…" : body;
            return status + " " + header("Content-Type") + " " + shortBody.replaceAll("\\s+", " ") + " (" + millis + " ms)";
        }
    }

    /** The server did not answer (in time, or at all): the connection hung or was closed without a status line. */
    static final class NoAnswer extends AssertionError {
        NoAnswer(String message) {
            super(message);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Sends {@code request} to 127.0.0.1:{@code port} (on a second thread, so a server that answers before reading
     * the whole body is heard) and reads one answer within {@code deadline}.
     */
    static Response exchange(int port, Request request, Duration deadline) {
        long start = System.nanoTime();
        try (RawConnection connection = new RawConnection(port, Duration.ofMillis(Math.min(deadline.toMillis(), 5000)))) {
            byte[] bytes = request.bytes();
            Thread writer = new Thread(() -> {
                try {
                    connection.send(bytes);
                } catch (UncheckedIOException ignored) {
                    // The server may answer and close before it has read everything (413, 431): that is allowed.
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            try {
                RawConnection.Response answer = connection.answer(deadline.minusNanos(System.nanoTime() - start));
                return new Response(answer.status(), answer.headers(), answer.body(),
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
            } catch (SocketTimeoutException e) {
                throw new NoAnswer("no answer within " + deadline.toSeconds() + " s");
            } catch (EOFException e) {
                throw new NoAnswer("the connection was closed " + e.getMessage());
            } catch (IOException e) {
                throw new NoAnswer("the connection failed without an answer: " + e);
            }
        }
    }
}
