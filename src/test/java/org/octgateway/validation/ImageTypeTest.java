package org.octgateway.validation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Image detection by content: what a real encoder writes is recognised, names and near-misses are not. */
class ImageTypeTest {

    @ParameterizedTest
    @CsvSource({"png, PNG", "jpeg, JPEG", "tiff, TIFF", "bmp, BMP"})
    void imagesWrittenByARealEncoderAreRecognisedByTheirContent(String format, ImageType expected) throws IOException {
        assertEquals(Optional.of(expected), ImageType.detect(encoded(format)));
    }

    @Test
    void theSampleScanIsAPng() throws IOException {
        assertEquals(Optional.of(ImageType.PNG), ImageType.detect(Path.of("samples", "oct-scan-512x496.png")));
    }

    @Test
    void dicomPart10IsRecognisedByItsPreambleAndMagic() {
        byte[] dicom = new byte[200];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicom, 128, 4);
        assertEquals(Optional.of(ImageType.DICOM), ImageType.detect(dicom));
        assertEquals(Optional.empty(), ImageType.detect(Arrays.copyOf(dicom, 131)), "cut before the magic ends");
    }

    @Test
    void bigEndianTiffIsRecognisedToo() {
        assertEquals(Optional.of(ImageType.TIFF), ImageType.detect(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}));
    }

    @Test
    void textPdfAndTruncatedSignaturesAreNotImages() {
        assertEquals(Optional.empty(), ImageType.detect("hello, this is not an image".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ImageType.detect("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), ImageType.detect(new byte[] {(byte) 0x89, 'P', 'N', 'G'}), "half a PNG signature");
        assertEquals(Optional.empty(), ImageType.detect(new byte[] {'B', 'M', 1, 2}), "BM without a BMP header");
        assertEquals(Optional.empty(), ImageType.detect(new byte[0]));
    }

    @Test
    void onlyTheFirst132BytesOfAFileAreRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("scan.bin");
        byte[] png = encoded("png");
        Files.write(file, png);
        assertEquals(Optional.of(ImageType.PNG), ImageType.detect(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b/slice.png", "SLICE.PNG", "x.jpg", "x.JPEG", "x.tif", "x.tiff", "x.bmp", "x.dcm", "x.dicom"})
    void imageExtensionsAreListedWhateverTheirCase(String name) {
        assertEquals(true, ImageType.hasImageExtension(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exam/", "notes.txt", "scan.png.json", "png", "scan.pngx", "archive.zip"})
    void otherNamesAreSkippedWhenAFolderIsListed(String name) {
        assertEquals(false, ImageType.hasImageExtension(name));
    }

    private static byte[] encoded(String format) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }
}
