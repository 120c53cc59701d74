package org.octgateway;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Real images in every format the gateway accepts, made with ImageIO (DICOM by hand). */
final class TestImages {

    static final Path SAMPLE_SCAN = Path.of("samples/oct-scan-512x496.png");

    private TestImages() {
    }

    static byte[] sampleScan() {
        try {
            return Files.readAllBytes(SAMPLE_SCAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tiny PNG whose pixels encode {@code seed}, so every seed gives different bytes. */
    static byte[] png(int seed) {
        return encode("png", seed);
    }

    static byte[] jpeg() {
        return encode("jpg", 7);
    }

    static byte[] tiff() {
        return encode("tiff", 7);
    }

    static byte[] bmp() {
        return encode("bmp", 7);
    }

    /** DICOM Part 10: a 128-byte preamble, "DICM", then (here, meaningless) data elements. */
    static byte[] dicom() {
        byte[] data = new byte[256];
        byte[] magic = "DICM".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, data, 128, magic.length);
        for (int i = 132; i < data.length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    private static byte[] encode(String format, int seed) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            image.setRGB(i % 8, i / 8, (seed * 7919 + i * 104729) & 0xFFFFFF);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
