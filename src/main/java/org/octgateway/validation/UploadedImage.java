package org.octgateway.validation;

import java.io.IOException;
import java.io.InputStream;

import jakarta.activation.DataHandler;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.octgateway.api.ApiError;
import org.octgateway.api.RequestHeaders;

/**
 * The image part of a multipart upload, read into memory before answering (the HTTP server deletes
 * its temporary file when the request ends) and recognised by its content.
 */
public record UploadedImage(String filename, byte[] bytes, ImageType type) {

    public static final String PROPERTY = "gatewayUploadedImage";

    /** Reads the {@code image} form part of the request, or refuses the request. */
    public static void read(Exchange exchange) throws IOException {
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        DataHandler part = attachments.hasAttachments() ? attachments.getAttachment(RequestHeaders.IMAGE_PART) : null;
        if (part == null) {
            throw new ApiError(400, "missing_image",
                    "Send the image as multipart/form-data in a file field named '" + RequestHeaders.IMAGE_PART + "'.");
        }
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readAllBytes();
        }
        ImageType type = ImageType.detect(bytes).orElseThrow(() -> new ApiError(415, "unsupported_media_type",
                "The uploaded file is not a PNG, JPEG, TIFF, BMP or DICOM image (judged by its content)."));
        String filename = part.getName() == null || part.getName().isBlank() ? "image" : part.getName();
        exchange.setProperty(PROPERTY, new UploadedImage(filename, bytes, type));
    }
}
