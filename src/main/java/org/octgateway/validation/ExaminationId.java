package org.octgateway.validation;

import org.octgateway.contract.ApiError;
import org.octgateway.contract.RequestHeaders;

/**
 * The Examination-ID header: at most {@value #MAX_LENGTH} printable ASCII characters. It is echoed in every
 * result, tags every log line of its jobs and travels on to the model in an HTTP header, which cannot carry
 * UTF-8 faithfully: a non-ASCII id is refused clearly rather than arriving mangled.
 */
public final class ExaminationId {

    public static final int MAX_LENGTH = 128;

    private ExaminationId() {
    }

    /** The id, or null when the header is absent or blank. */
    public static String validate(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        if (header.length() > MAX_LENGTH) {
            throw ApiError.invalidHeader(RequestHeaders.EXAMINATION_ID, "is longer than " + MAX_LENGTH + " characters.");
        }
        if (!header.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw ApiError.invalidHeader(RequestHeaders.EXAMINATION_ID,
                    "must be printable ASCII (letters, digits, punctuation, spaces); other characters and control"
                            + " characters cannot travel to the model faithfully.");
        }
        return header;
    }
}
