package org.octgateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body built by hand, as a client would send it. */
final class Multipart {

    private final String boundary = "----gateway-test-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Multipart file(String field, String filename, String contentType, byte[] content) {
        write("--" + boundary + "\r\n");
        write("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n");
        write("Content-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    /** A file part whose Content-Disposition parameters are written as given, e.g. an RFC 5987 {@code filename*=UTF-8''…}. */
    Multipart fileWithDisposition(String dispositionParameters, String contentType, byte[] content) {
        write("--" + boundary + "\r\n");
        write("Content-Disposition: form-data; " + dispositionParameters + "\r\n");
        write("Content-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    Multipart field(String field, String value) {
        write("--" + boundary + "\r\n");
        write("Content-Disposition: form-data; name=\"" + field + "\"\r\n\r\n");
        write(value + "\r\n");
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(body.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return copy.toByteArray();
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
