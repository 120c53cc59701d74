package org.octgateway.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    public void describe(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] image = message.getBody(byte[].class);
        if (image == null) {
            image = new byte[0];
        }
        ImageType type = ImageType.detect(image).orElse(null);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("model", "demo (stands in for a model; reports facts about the image, no diagnosis)");
        facts.put("request_id", message.getHeader("X-Request-ID"));
        facts.put("examination_id", message.getHeader("Examination-ID"));
        facts.put("format", type == null ? null : type.name().toLowerCase());
        int[] size = type == null ? null : dimensions(type, image);
        facts.put("width", size == null ? null : size[0]);
        facts.put("height", size == null ? null : size[1]);
        facts.put("bytes", image.length);
        facts.put("sha256", sha256(image));
        String parameters = message.getHeader("Inference-Parameters", String.class);
        facts.put("parameters", parameters == null ? null : json.readTree(parameters));

        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, type == null ? 415 : 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writeValueAsString(facts));
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
