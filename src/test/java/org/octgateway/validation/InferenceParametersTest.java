package org.octgateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.octgateway.contract.ApiError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the model receives for an Inference-Parameters header, and which headers are refused with what words. */
class InferenceParametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApiError refused(String header) {
        ApiError error = assertThrows(ApiError.class,
                () -> InferenceParameters.validate(header, InferenceParameters.NERVE_CROP_ZONE), header);
        assertEquals(400, error.httpStatus());
        assertEquals("invalid_inference_parameters", error.code());
        return error;
    }

    private static JsonNode sent(String header) throws Exception {
        return JSON.readTree(InferenceParameters.validate(header, InferenceParameters.NERVE_CROP_ZONE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"scan_width\": 1e999}                 | scan_width",
            "{\"mm_crop_zone\": -1e999}              | mm_crop_zone",
            "{\"unknown_key\": 1e999}                | unknown_key",
            "{\"deep\": {\"list\": [1, 2e400]}}      | deep.list[1]",
            "{\"slice_idx\": 18446744073709551616}   | slice_idx",
            "{\"slice_idx\": 2147483648}             | slice_idx",
            "{\"slice_idx\": -1}                     | slice_idx",
            "{\"slice_idx\": 3.0}                    | slice_idx",
            "{\"nerve_zone_slice_indices\": [1, 18446744073709551616]} | nerve_zone_slice_indices",
            "{\"low_confidence_p\": 1.0000000000000000000001} | low_confidence_p",
            "{\"slice_idx\": 1, \"slice_idx\": 2}    | slice_idx",
    })
    void numbersOutOfRangeOrTooLargeToBeFiniteAreRefusedNamingTheKey(String header, String key) {
        ApiError error = refused(header);

        assertTrue(error.getMessage().contains("'" + key + "'"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} {\"b\":2}", "{\"a\":1} []", "{\"a\":1}}", "{\"a\": NaN}", "{\"a\": Infinity}",
            "{\"a\": -Infinity}", "[1]", "\"text\"", "{\"a\":1} x"})
    void anythingButOneJsonObjectIsRefused(String header) {
        assertTrue(refused(header).getMessage().contains("Inference-Parameters"));
    }

    @Test
    void nestingDeeperThanTheCapIsRefused() {
        String deep = "{\"a\":" + "[".repeat(InferenceParameters.MAX_DEPTH) + "]".repeat(InferenceParameters.MAX_DEPTH) + "}";

        assertTrue(refused(deep).getMessage().contains("nested deeper than " + InferenceParameters.MAX_DEPTH), deep);
    }

    @Test
    void nestingUpToTheCapIsAccepted() throws Exception {
        int arrays = InferenceParameters.MAX_DEPTH - 1;
        String deepest = "{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";

        assertTrue(sent(deepest).has("a"));
    }

    @Test
    void aHeaderLongerThanTheCapIsRefused() {
        String longHeader = "{\"a\":\"" + "x".repeat(InferenceParameters.MAX_LENGTH) + "\"}";

        assertTrue(refused(longHeader).getMessage().contains("longer than " + InferenceParameters.MAX_LENGTH));
    }

    @Test
    void aNumberWithHundredsOfDigitsIsRefused() {
        assertTrue(refused("{\"a\": " + "9".repeat(500) + "}").getMessage().contains("number longer than"));
    }

    @Test
    void rawNonAsciiIsRefusedWhileEscapesReachTheModelAsAscii() throws Exception {
        assertTrue(refused("{\"note\": \"Öl\"}").getMessage().contains("ASCII"));

        String sent = InferenceParameters.validate("{\"note\": \"\\u00d6l\"}", InferenceParameters.NERVE_CROP_ZONE);

        assertTrue(sent.chars().allMatch(c -> c < 0x7F), sent);
        assertEquals("Öl", JSON.readTree(sent).path("note").asText());
    }

    @Test
    void largestIndexAndExactDecimalsPassUnchanged() throws Exception {
        String sent = InferenceParameters.validate("{\"slice_idx\": 2147483647, \"pixel_spacing_row\":"
                + " 0.00390000000000000000001, \"low_confidence_p\": 1.0, \"unknown\": 10.50}", "k");

        assertTrue(sent.contains("\"slice_idx\":2147483647"), sent);
        assertTrue(sent.contains("\"pixel_spacing_row\":0.00390000000000000000001"), sent);
        assertTrue(sent.contains("\"low_confidence_p\":1.0"), sent);
        assertTrue(sent.contains("\"unknown\":10.50"), "decimals are passed on as written: " + sent);
    }

    @Test
    void defaultsAreAddedUnderTheEndpointsSpelling() throws Exception {
        JsonNode sent = JSON.readTree(InferenceParameters.validate(null, InferenceParameters.NERVE_CROP_ZONE_UPLOAD_SPELLING));

        assertEquals(0.1, sent.path("low_confidence_p").doubleValue());
        assertEquals(1.0, sent.path(InferenceParameters.NERVE_CROP_ZONE_UPLOAD_SPELLING).doubleValue());
    }

    /** A header validated before answers the same text again, per crop-key spelling; a refused one is refused again. */
    @Test
    void aHeaderSeenBeforeValidatesToTheSameTextAndARefusedOneIsRefusedAgain() {
        String header = "{\"scan_width\": 6.0, \"slice_idx\": 3}";
        String first = InferenceParameters.validate(header, InferenceParameters.NERVE_CROP_ZONE);
        assertEquals(first, InferenceParameters.validate(header, InferenceParameters.NERVE_CROP_ZONE));
        String uploadSpelling = InferenceParameters.validate(header, InferenceParameters.NERVE_CROP_ZONE_UPLOAD_SPELLING);
        assertTrue(uploadSpelling.contains(InferenceParameters.NERVE_CROP_ZONE_UPLOAD_SPELLING), uploadSpelling);
        assertTrue(first.contains(InferenceParameters.NERVE_CROP_ZONE + "\""), first);
        refused("{\"scan_width\": -1}");
        refused("{\"scan_width\": -1}");
    }
}
