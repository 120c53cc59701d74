package org.octgateway.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.octgateway.api.ApiError;
import org.octgateway.api.RequestHeaders;

/**
 * Validates the Inference-Parameters header: a JSON object whose documented keys have the right type
 * and range; documented defaults are applied and unknown keys pass through untouched.
 */
public final class InferenceParameters {

    /** The upload endpoint's documentation spells the nerve crop key differently; both are accepted. */
    public static final String NERVE_CROP_ZONE = "mm_crop_zone_nerve";
    public static final String NERVE_CROP_ZONE_UPLOAD_SPELLING = "mm_nerve_crop_zone";

    private static final ObjectMapper JSON = new ObjectMapper();

    private InferenceParameters() {
    }

    /**
     * @param header          the raw header, may be null or blank (then only the defaults are sent)
     * @param nerveCropZoneKey the spelling under which the nerve crop default is added when neither is given
     * @return the parameters to send to the inference server, as compact JSON
     */
    public static String validate(String header, String nerveCropZoneKey) {
        ObjectNode parameters = parse(header);
        positiveNumber(parameters, "scan_width");
        nonNegativeNumber(parameters, "mm_crop_zone");
        coordinatePair(parameters, "center_coordinates");
        positiveNumber(parameters, "pixel_spacing_row");
        positiveNumber(parameters, "pixel_spacing_column");
        probability(parameters, "low_confidence_p");
        nonNegativeInteger(parameters, "slice_idx");
        arrayOrObject(parameters, "nerve_zone_landmarks");
        nonNegativeIntegers(parameters, "nerve_zone_slice_indices");
        nonNegativeNumber(parameters, NERVE_CROP_ZONE);
        nonNegativeNumber(parameters, NERVE_CROP_ZONE_UPLOAD_SPELLING);

        if (isAbsent(parameters, "low_confidence_p")) {
            parameters.put("low_confidence_p", 0.1);
        }
        if (isAbsent(parameters, NERVE_CROP_ZONE) && isAbsent(parameters, NERVE_CROP_ZONE_UPLOAD_SPELLING)) {
            parameters.put(nerveCropZoneKey, 1.0);
        }
        return parameters.toString();
    }

    private static ObjectNode parse(String header) {
        if (header == null || header.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid_inference_parameters",
                    "The " + RequestHeaders.INFERENCE_PARAMETERS + " header is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new ApiError(400, "invalid_inference_parameters",
                    "The " + RequestHeaders.INFERENCE_PARAMETERS + " header must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    private static boolean isAbsent(ObjectNode parameters, String key) {
        return !parameters.hasNonNull(key);
    }

    private static JsonNode present(ObjectNode parameters, String key) {
        return parameters.hasNonNull(key) ? parameters.get(key) : null;
    }

    private static void positiveNumber(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isNumber() && value.doubleValue() > 0)) {
            throw ApiError.invalidParameter(key, "must be a number greater than 0.");
        }
    }

    private static void nonNegativeNumber(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isNumber() && value.doubleValue() >= 0)) {
            throw ApiError.invalidParameter(key, "must be a number of 0 or more.");
        }
    }

    private static void probability(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !(value.isNumber() && value.doubleValue() >= 0 && value.doubleValue() <= 1)) {
            throw ApiError.invalidParameter(key, "must be a number between 0 and 1.");
        }
    }

    private static void nonNegativeInteger(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value != null && !isNonNegativeInteger(value)) {
            throw ApiError.invalidParameter(key, "must be an integer of 0 or more.");
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

    private static void nonNegativeIntegers(ObjectNode parameters, String key) {
        JsonNode value = present(parameters, key);
        if (value == null) {
            return;
        }
        boolean valid = value.isArray();
        for (JsonNode element : value) {
            valid &= isNonNegativeInteger(element);
        }
        if (!valid) {
            throw ApiError.invalidParameter(key, "must be an array of integers of 0 or more.");
        }
    }

    private static boolean isNonNegativeInteger(JsonNode value) {
        return value.isIntegralNumber() && value.longValue() >= 0;
    }
}
