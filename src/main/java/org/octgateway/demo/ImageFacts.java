package org.octgateway.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.octgateway.validation.ImageType;

/**
 * The demo inference server: it stands in for a model and answers real facts about the image it
 * received (format, width, height, byte count, sha256), echoing the parameters. It diagnoses nothing.
 */
public class ImageFacts {

    private final ObjectMapper json;

    public ImageFacts(ObjectMapper json) {
        this.json = json;
    }

    /**
     * What the demo model answers about one image.
     *
     * @param format null when the bytes are not an image the gateway knows (then the answer is 415)
     */
    public record Facts(
            @JsonProperty("model") String model,
            @JsonProperty("request_id") String requestId,
            @JsonProperty("examination_id") String examinationId,
            @JsonProperty("format") String format,
            @JsonProperty("width") Integer width,
            @JsonProperty("height") Integer height,
            @JsonProperty("bytes") int bytes,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("parameters") JsonNode parameters) {

        @JsonIgnore
        public boolean isImage() {
            return format != null;
        }
    }

    public Facts describe(@Body byte[] image, @Header("X-Request-ID") String requestId,
                          @Header("Examination-ID") String examinationId,
                          @Header("Inference-Parameters") String parameters) throws Exception {
        byte[] bytes = image == null ? new byte[0] : image;
        ImageType type = ImageType.detect(bytes).orElse(null);
        int[] size = type == null ? null : dimensions(type, bytes);
        return new Facts("demo (stands in for a model; reports facts about the image, no diagnosis)", requestId,
                examinationId, type == null ? null : type.name().toLowerCase(), size == null ? null : size[0],
                size == null ? null : size[1], bytes.length, sha256(bytes),
                parameters == null ? null : json.readTree(parameters));
    }

    static int[] dimensions(ImageType type, byte[] image) {
        if (type == ImageType.DICOM) {
            return dicomRowsAndColumns(image);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Columns (0028,0011) and Rows (0028,0010) of a little-endian DICOM data set, if present. */
    private static int[] dicomRowsAndColumns(byte[] image) {
        Integer rows = null;
        Integer columns = null;
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 132; i + 10 <= image.length && (rows == null || columns == null); i++) {
            if (buffer.getShort(i) == 0x0028 && (buffer.getShort(i + 2) == 0x0010 || buffer.getShort(i + 2) == 0x0011)
                    && image[i + 4] == 'U' && image[i + 5] == 'S' && buffer.getShort(i + 6) == 2) {
                int value = Short.toUnsignedInt(buffer.getShort(i + 8));
                if (buffer.getShort(i + 2) == 0x0010) {
                    rows = value;
                } else {
                    columns = value;
                }
            }
        }
        return rows == null || columns == null ? null : new int[] {columns, rows};
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
