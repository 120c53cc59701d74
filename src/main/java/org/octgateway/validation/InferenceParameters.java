package org.octgateway.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.RequestHeaders;

/**
 * Validates the Inference-Parameters header: one JSON object (nothing after it, no key twice, bounded in
 * size and depth) whose documented keys have the right type and range; documented defaults are applied and
 * unknown keys pass through untouched. Every number anywhere must be finite for the model: numbers are read
 * exactly (BigDecimal / BigInteger), so {@code 1e999} is refused instead of becoming Infinity and
 * {@code 18446744073709551616} is refused instead of wrapping to 0.
 */
public final class InferenceParameters {

    /** The upload endpoint's documentation spells the nerve crop key differently; both are accepted. */
    public static final String NERVE_CROP_ZONE = "mm_crop_zone_nerve";
    public static final String NERVE_CROP_ZONE_UPLOAD_SPELLING = "mm_nerve_crop_zone";

    /** Longest header accepted, in characters: far above any real parameter set, far below a memory problem. */
    public static final int MAX_LENGTH = 16 * 1024;
    /** Deepest nesting of arrays and objects (the header's own object is level 1). */
    public static final int MAX_DEPTH = 16;
    /** Longest number literal, in characters: a double needs 25 at most. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Largest index (slice_idx, nerve_zone_slice_indices): what a Java int and every model-side array index hold. */
    public static final BigInteger MAX_INDEX = BigInteger.valueOf(Integer.MAX_VALUE);

    private static final BigDecimal LARGEST_FINITE = new BigDecimal(Double.MAX_VALUE);
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate (?:Object property|field) \"?'?([^\"']*)");

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            // What goes to the model travels in an HTTP header: ASCII only, other characters as \\u escapes.
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    /**
     * Headers already validated, with what they validated to. Validation is a pure function of the header's text and
     * the endpoint's crop-key spelling, and a caller sends the same parameters with upload after upload: parsing,
     * checking and re-serialising them was about a tenth of an upload's CPU on the accepting thread. At most
     * {@value #MAX_REMEMBERED} headers of at most {@value #MAX_REMEMBERED_LENGTH} characters (~0.5 MB).
     */
    private static final Map<Remembered, String> REMEMBERED = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 256;
    private static final int MAX_REMEMBERED_LENGTH = 1024;

    private record Remembered(String header, String nerveCropZoneKey) {
    }

    private InferenceParameters() {
    }

    /**
     * @param header          the raw header, may be null or blank (then only the defaults are sent)
     * @param nerveCropZoneKey the spelling under which the nerve crop default is added when neither is given
     * @return the parameters to send to the inference server, as compact ASCII JSON
     */
    public static String validate(String header, String nerveCropZoneKey) {
        if (header == null || header.length() > MAX_REMEMBERED_LENGTH) {
            return validated(header, nerveCropZoneKey);
        }
        Remembered key = new Remembered(header, nerveCropZoneKey);
        String known = REMEMBERED.get(key);
        if (known != null) {
            return known;
        }
        String parameters = validated(header, nerveCropZoneKey); // a refusal throws: only valid headers are kept
        if (REMEMBERED.size() >= MAX_REMEMBERED) {
            REMEMBERED.clear(); // bounded: a caller sending ever-new parameters just starts the set again
        }
        REMEMBERED.put(key, parameters);
        return parameters;
    }

    private static String validated(String header, String nerveCropZoneKey) {
        ObjectNode parameters = parse(header);
        everyNumberFinite(parameters, "");
        positiveNumber(parameters, "scan_width");
        nonNegativeNumber(parameters, "mm_crop_zone");
        coordinatePair(parameters, "center_coordinates");
        positiveNumber(parameters, "pixel_spacing_row");
        positiveNumber(parameters, "pixel_spacing_column");
        probability(parameters, "low_confidence_p");
        index(parameters, "slice_idx");
        arrayOrObject(parameters, "nerve_zone_landmarks");
        indices(parameters, "nerve_zone_slice_indices");
        nonNegativeNumber(parameters, NERVE_CROP_ZONE);
        nonNegativeNumber(parameters, NERVE_CROP_ZONE_UPLOAD_SPELLING);

        if (isAbsent(parameters, "low_confidence_p")) {
            parameters.put("low_confidence_p", 0.1);
        }
        if (isAbsent(parameters, NERVE_CROP_ZONE) && isAbsent(parameters, NERVE_CROP_ZONE_UPLOAD_SPELLING)) {
            parameters.put(nerveCropZoneKey, 1.0);
        }
        try {
            return JSON.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validated JSON tree always serializes", e);
        }
    }

    private static ObjectNode parse(String header) {
        if (header == null || header.isBlank()) {
            return JSON.createObjectNode();
        }
        if (header.length() > MAX_LENGTH) {
            throw invalid("is longer than " + MAX_LENGTH + " characters.");
        }
        if (header.chars().anyMatch(c -> c > 0x7E)) {
            // HTTP headers do not carry UTF-8 faithfully (to the gateway or on to the model): refuse, never mangle.
            throw invalid("contains characters outside printable ASCII; write them as \\uXXXX escapes inside JSON strings.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(header);
        } catch (StreamConstraintsException e) {
            throw invalid(e.getMessage().contains("depth") ? "is nested deeper than " + MAX_DEPTH + " levels."
                    : "contains a number longer than " + MAX_NUMBER_LENGTH + " characters.");
        } catch (MismatchedInputException e) {
            throw invalid("must hold one JSON object and nothing after it.");
        } catch (JsonProcessingException e) {
            Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
            if (duplicate.find()) {
                throw ApiError.invalidParameter(duplicate.group(1), "appears more than once.");
            }
            throw invalid("is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw invalid("must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    private static ApiError invalid(String why) {
        return new ApiError(400, "invalid_inference_parameters", "The " + RequestHeaders.INFERENCE_PARAMETERS + " header " + why);
    }

    /** Every number, documented key or not, must be a finite double for the model (no Infinity in disguise). */
    private static void everyNumberFinite(JsonNode node, String path) {
        if (node.isNumber()) {
            if (node.decimalValue().abs().compareTo(LARGEST_FINITE) > 0) {
                throw ApiError.invalidParameter(path, "must be a finite number (at most about 1.8e308 in size).");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                everyNumberFinite(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                everyNumberFinite(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static boolean isAbsent(ObjectNode parameters, String key) {
        return !parameters.hasNonNull(key);
    }

    private static JsonNode present(ObjectNode parameters, String key) {
        return parameters.hasNonNull(key) ? parameters.get(key) : null;
    }

    private static void positiveNumber(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isNumber() && value.decimalValue().signum() > 0)) {
            throw ApiError.invalidParameter(key, "must be a number greater than 0.");
        }
    }

    private static void nonNegativeNumber(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isNumber() && value.decimalValue().signum() >= 0)) {
            throw ApiError.invalidParameter(key, "must be a number of 0 or more.");
        }
    }

    private static void probability(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isNumber() && value.decimalValue().signum() >= 0
                && value.decimalValue().compareTo(BigDecimal.ONE) <= 0)) {
            throw ApiError.invalidParameter(key, "must be a number between 0 and 1.");
        }
    }

    private static void index(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !isIndex(value)) {
            throw ApiError.invalidParameter(key, "must be an integer from 0 to " + MAX_INDEX + ".");
        }
    }

    private static void coordinatePair(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isArray() && value.size() == 2 && value.get(0).isNumber() && value.get(1).isNumber())) {
            throw ApiError.invalidParameter(key, "must be an array of two numbers, [x, y].");
        }
    }

    private static void arrayOrObject(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isArray() || value.isObject())) {
            throw ApiError.invalidParameter(key, "must be a JSON array or object.");
        }
    }

    private static void indices(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value == null) {
            return;
        }
        boolean valid = value.isArray();
        for (JsonNode element : value) {
            valid &= isIndex(element);
        }
        if (!valid) {
            throw ApiError.invalidParameter(key, "must be an array of integers from 0 to " + MAX_INDEX + ".");
        }
    }

    /** An integer in 0..2^31-1, compared exactly: a BigInteger is never narrowed (2^64 would wrap to 0). */
    private static boolean isIndex(JsonNode value) {
        return value.isIntegralNumber() && value.bigIntegerValue().signum() >= 0
                && value.bigIntegerValue().compareTo(MAX_INDEX) <= 0;
    }
}
