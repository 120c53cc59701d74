package org.octgateway.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.activation.DataHandler;
import org.apache.camel.attachment.CamelFileDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.octgateway.contract.ApiError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The upload-part rules on the form parts as the HTTP server hands them over: exactly one non-empty image, named 'image'. */
class UploadedImageTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};

    @TempDir
    Path dir;

    @Test
    void theImagePartIsReadWithItsSafeNameSizeAndType() throws IOException {
        UploadedImage image = UploadedImage.read(Map.of("image", part("..\\scans\\od.png", PNG_HEAD)), 1, null);
        assertEquals("od.png", image.filename());
        assertEquals(PNG_HEAD.length, image.size());
        assertEquals(ImageType.PNG, image.type());
    }

    @Test
    void aFormWithoutAnImagePartIsRefused() {
        assertRefused(400, "missing_image", null, null, null);
        assertRefused(400, "missing_image", Map.of("scan", part("a.png", PNG_HEAD)), 1, null);
    }

    @Test
    void anImageSentTwiceOrBesideOtherFilesIsRefused() throws IOException {
        Map<String, DataHandler> one = Map.of("image", part("a.png", PNG_HEAD));
        assertRefused(400, "duplicate_image", one, 1, "a text field named image");
        assertRefused(400, "duplicate_image", one, 2, null); // two parts named 'image': the server kept one
        assertRefused(400, "invalid_request", Map.of("image", part("a.png", PNG_HEAD), "other", part("b.png", PNG_HEAD)), 2, null);
    }

    @Test
    void anEmptyFileOrOneThatIsNoImageIsRefused() {
        assertRefused(400, "empty_image", Map.of("image", part("a.png", new byte[0])), 1, null);
        assertRefused(415, "unsupported_media_type", Map.of("image", part("a.png", "not an image".getBytes())), 1, null);
    }

    private static void assertRefused(int status, String code, Map<String, DataHandler> parts, Integer count, Object field) {
        ApiError refused = assertThrows(ApiError.class, () -> UploadedImage.read(parts, count, field));
        assertEquals(status, refused.httpStatus(), refused.getMessage());
        assertEquals(code, refused.code(), refused.getMessage());
    }

    /** A part as the HTTP server leaves it: a temp file, under the client's file name. */
    private DataHandler part(String clientName, byte[] content) {
        try {
            Path file = Files.write(Files.createTempFile(dir, "part", ".upload"), content);
            return new DataHandler(new CamelFileDataSource(file.toFile(), clientName));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
