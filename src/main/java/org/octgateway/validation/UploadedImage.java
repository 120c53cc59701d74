package org.octgateway.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import jakarta.activation.DataHandler;
import org.apache.camel.attachment.CamelFileDataSource;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.RequestHeaders;

/**
 * The image part of a multipart upload. Its bytes stay in the file the HTTP server streamed the part to
 * ({@code camel.server.fileUploadDirectory}, owner-only); only its first bytes are read here, to recognise it
 * by its content. The file is deleted when the request ends: it must be queued before answering.
 *
 * @param filename the client's file name, reduced to a safe display name (see {@link #displayName})
 * @param file     the uploaded bytes on disk
 * @param size     the byte count
 */
public record UploadedImage(String filename, Path file, long size, ImageType type) {

    /** Exchange property: the request's {@link UploadedImage}, set by the route from what {@link #read} answers. */
    public static final String PROPERTY = "gatewayUploadedImage";
    /** The longest file name answered and passed on, in characters; longer ones keep their start and extension. */
    public static final int MAX_FILENAME_LENGTH = 255;

    /**
     * The {@code image} form part of the request, or a refusal.
     *
     * @param parts          the form's file parts by field name (the HTTP server keeps one per name)
     * @param partCount      how many file parts the form had, repeated names included
     * @param imageTextField a text field named {@code image}, which the HTTP server hands over as a header
     */
    public static UploadedImage read(Map<String, DataHandler> parts, Integer partCount, Object imageTextField)
            throws IOException {
        DataHandler part = parts == null ? null : parts.get(RequestHeaders.IMAGE_PART);
        if (part == null) {
            throw new ApiError(400, "missing_image",
                    "Send the image as multipart/form-data in a file field named '" + RequestHeaders.IMAGE_PART + "'.");
        }
        refuseExtraFileParts(parts.keySet(), partCount, imageTextField);
        if (!(part.getDataSource() instanceof CamelFileDataSource upload)) {
            throw new IllegalStateException("the HTTP server did not stream the upload to a file");
        }
        Path file = upload.getFile().toPath();
        long size = Files.size(file);
        if (size == 0) {
            throw new ApiError(400, "empty_image", "The file in the '" + RequestHeaders.IMAGE_PART + "' field is empty (0 bytes).");
        }
        ImageType type = ImageType.detect(file).orElseThrow(() -> new ApiError(415, "unsupported_media_type",
                "The uploaded file is not a PNG, JPEG, TIFF, BMP or DICOM image (judged by its content)."));
        return new UploadedImage(displayName(part.getName()), file, size, type);
    }

    /**
     * Exactly one file part, named {@code image}. The HTTP server keeps one part per field name (a second
     * {@code image} part would silently replace the first), so a repeated name shows as more parts than names.
     */
    private static void refuseExtraFileParts(Set<String> names, Integer partCount, Object imageTextField) {
        if (imageTextField != null) {
            // 'image' as a file and as a text field is ambiguous
            throw new ApiError(400, "duplicate_image", "The form has the field '" + RequestHeaders.IMAGE_PART
                    + "' twice (a file and a text field); send exactly one image per request, as a file.");
        }
        int count = partCount == null ? names.size() : Math.max(partCount, names.size());
        if (count <= 1) {
            return;
        }
        if (names.size() == 1) {
            throw new ApiError(400, "duplicate_image", "The form has " + count + " file parts named '"
                    + RequestHeaders.IMAGE_PART + "'; send exactly one image per request.");
        }
        throw new ApiError(400, "invalid_request", "The form has " + count + " file parts (" + String.join(", ", names)
                + "); send exactly one, in the field '" + RequestHeaders.IMAGE_PART + "'.");
    }

    /**
     * The client's file name as the gateway answers and forwards it: its last path segment (a browser or script
     * may send "C:\scans\a.png" or "../../a.png"), control characters replaced by '_', at most
     * {@value #MAX_FILENAME_LENGTH} characters (the start and the extension kept); "image" when nothing is left.
     */
    static String displayName(String clientName) {
        if (clientName == null) {
            return "image";
        }
        String name = clientName.substring(Math.max(clientName.lastIndexOf('/'), clientName.lastIndexOf('\\')) + 1);
        StringBuilder safe = new StringBuilder(name.length());
        name.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) || isInvisibleFormat(c) ? '_' : c));
        name = safe.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "image";
        }
        if (name.codePointCount(0, name.length()) > MAX_FILENAME_LENGTH) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
            int keep = name.offsetByCodePoints(0, MAX_FILENAME_LENGTH - extension.length());
            name = name.substring(0, keep) + extension;
        }
        return name;
    }

    /** Bidirectional overrides and other invisible format characters make a name display as something else. */
    private static boolean isInvisibleFormat(int codePoint) {
        return Character.getType(codePoint) == Character.FORMAT;
    }
}
