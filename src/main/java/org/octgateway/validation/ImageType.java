package org.octgateway.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The image formats the gateway forwards, recognised by their content (magic bytes), never by the
 * name or the declared Content-Type of an upload.
 */
public enum ImageType {
    PNG("image/png"),
    JPEG("image/jpeg"),
    TIFF("image/tiff"),
    BMP("image/bmp"),
    /** DICOM Part 10: a 128-byte preamble, then "DICM". */
    DICOM("application/dicom");

    /** How many leading bytes {@link #detect} looks at (the DICOM magic ends at byte 132). */
    private static final int HEAD_LENGTH = 132;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] DICOM_MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);

    private final String contentType;

    ImageType(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The type of {@code head}: a whole file or its first bytes; only the first 132 are read. */
    public static Optional<ImageType> detect(byte[] head) {
        if (startsWith(head, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, (byte) 'I', (byte) 'I', (byte) 42, (byte) 0)
                || startsWith(head, (byte) 'M', (byte) 'M', (byte) 0, (byte) 42)) {
            return Optional.of(TIFF);
        }
        if (startsWith(head, (byte) 'B', (byte) 'M') && head.length >= 26) {
            return Optional.of(BMP);
        }
        if (head.length >= HEAD_LENGTH && Arrays.equals(head, 128, 132, DICOM_MAGIC, 0, 4)) {
            return Optional.of(DICOM);
        }
        return Optional.empty();
    }

    /** The type of the image in {@code file}, reading only its first 132 bytes (an upload or a spooled job image). */
    public static Optional<ImageType> detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return detect(in.readNBytes(HEAD_LENGTH));
        }
    }

    /** Whether an object name looks like an image the gateway can forward (used when listing folders). */
    public static boolean hasImageExtension(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg")
                || lower.endsWith(".tif") || lower.endsWith(".tiff") || lower.endsWith(".bmp")
                || lower.endsWith(".dcm") || lower.endsWith(".dicom");
    }

    private static boolean startsWith(byte[] data, byte... prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
