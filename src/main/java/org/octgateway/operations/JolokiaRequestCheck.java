package org.octgateway.operations;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.octgateway.contract.ApiError;

/**
 * Checks a Jolokia POST body before Jolokia reads it. Camel's Jolokia handler turns every exception Jolokia throws
 * while it reads a request (a body that is not JSON, an unknown "type", a missing "mbean", a deep nesting) into an
 * HTTP 500 naming a Java exception; so what Jolokia would throw on is refused here with a 400 in plain words.
 * What passes is what hawtio and scripts send: a JSON object, or an array of them (a bulk request), each with a
 * known "type" and the fields that type needs. Whether the request is allowed is still Jolokia's access policy.
 * Also refused: asking Jolokia for stack traces or serialized exceptions (processing options a client may set), and
 * proxy requests ("target": Jolokia would connect to a JMX agent the client names).
 */
final class JolokiaRequestCheck {

    /** hawtio's largest requests (a bulk read of every MBean it shows) are a few tens of KB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** A bulk array, a request, its arguments or config, and values nested in an argument. */
    static final int MAX_DEPTH = 20;
    private static final Set<String> TYPES = Set.of("read", "list", "search", "version", "exec", "write");
    /** Processing options that would put stack traces or exceptions (class names, internals) into answers. */
    private static final Set<String> ERROR_DETAIL_OPTIONS = Set.of("includestacktrace", "serializeexception");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private JolokiaRequestCheck() {
    }

    /** @throws ApiError 400 invalid_request naming what is wrong */
    static void check(byte[] body, List<Map.Entry<String, String>> queryOptions) {
        queryOptions.forEach(option -> refuseErrorDetails(option.getKey(), option.getValue(), "the query string"));
        if (body == null || body.length == 0) {
            throw invalid("The request body is empty; send a Jolokia request as a JSON object, or an array of them.");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        checkDepth(body);
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            throw invalid("The request body is not valid JSON; send a Jolokia request as a JSON object, or an array of them.");
        }
        if (request.isArray()) {
            if (request.isEmpty()) {
                throw invalid("The request body is an empty array; a bulk request lists at least one Jolokia request.");
            }
            int index = 0;
            for (JsonNode single : request) {
                checkRequest(single, "Request " + index++ + " of the bulk request");
            }
        } else {
            checkRequest(request, "The request");
        }
    }

    static ApiError tooLarge() {
        return new ApiError(413, "request_too_large",
                "The request body is larger than " + MAX_BODY_BYTES / 1024 + " KB; send fewer requests at once.");
    }

    /** Nesting is checked on the token stream, before a tree is built: a deep body costs no recursion. */
    private static void checkDepth(byte[] body) {
        try (JsonParser tokens = JSON.getFactory().createParser(body)) {
            int depth = 0;
            for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
                if (token.isStructStart() && ++depth > MAX_DEPTH) {
                    throw invalid("The request body nests JSON deeper than " + MAX_DEPTH + " levels.");
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        } catch (IOException e) {
            throw invalid("The request body is not valid JSON; send a Jolokia request as a JSON object, or an array of them.");
        }
    }

    private static void checkRequest(JsonNode request, String which) {
        if (!request.isObject()) {
            throw invalid(which + " is not a JSON object; a Jolokia request is an object with a \"type\".");
        }
        JsonNode type = request.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid(which + " has no \"type\"; use one of " + typeList() + ".");
        }
        String name = type.asText().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(name)) {
            throw invalid(which + " has the unknown type \"" + printable(type.asText()) + "\"; use one of " + typeList() + ".");
        }
        switch (name) {
            case "read", "search" -> requireMBeanName(request, which);
            case "write" -> {
                requireMBeanName(request, which);
                requireText(request, "attribute", which);
            }
            case "exec" -> {
                requireMBeanName(request, which);
                requireText(request, "operation", which);
            }
            default -> optionalText(request, "mbean", which);
        }
        if (!name.equals("write")) {
            JsonNode attribute = request.get("attribute");
            if (attribute != null && !attribute.isNull() && !attribute.isTextual() && !isArrayOfText(attribute)) {
                throw invalid(which + " has an \"attribute\" that is neither a name nor a list of names.");
            }
        }
        optionalText(request, "path", which);
        JsonNode arguments = request.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isArray()) {
            throw invalid(which + " has \"arguments\" that are not a JSON array.");
        }
        JsonNode config = request.get("config");
        if (config != null && !config.isNull()) {
            if (!config.isObject()) {
                throw invalid(which + " has a \"config\" that is not a JSON object.");
            }
            config.fields().forEachRemaining(option -> {
                if (!option.getValue().isValueNode()) {
                    throw invalid(which + " has the processing option " + printable(option.getKey())
                            + " with a value that is no string, number or boolean.");
                }
                refuseErrorDetails(option.getKey(), option.getValue().asText(), which + "'s \"config\"");
            });
        }
        if (request.has("target")) {
            // Jolokia's proxy mode would connect to a JMX URL the client names; this gateway serves its own MBeans only
            throw invalid(which + " has a \"target\": proxy requests to other JMX agents are not available here.");
        }
    }

    private static void requireText(JsonNode request, String field, String which) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(which + " (type \"" + request.get("type").asText() + "\") needs \"" + field + "\" as a string.");
        }
    }

    /** Jolokia parses the name while it reads the request; a malformed one would be an exception there. */
    private static void requireMBeanName(JsonNode request, String which) {
        requireText(request, "mbean", which);
        try {
            new ObjectName(request.get("mbean").asText());
        } catch (MalformedObjectNameException e) {
            throw invalid(which + " names the MBean \"" + printable(request.get("mbean").asText())
                    + "\", which is not an MBean name (domain:key=value,...).");
        }
    }

    private static void optionalText(JsonNode request, String field, String which) {
        JsonNode value = request.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw invalid(which + " has a \"" + field + "\" that is not a string.");
        }
    }

    private static boolean isArrayOfText(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void refuseErrorDetails(String option, String value, String where) {
        if (ERROR_DETAIL_OPTIONS.contains(option.toLowerCase(Locale.ROOT)) && !"false".equalsIgnoreCase(value.trim())) {
            throw invalid("The processing option " + printable(option) + " in " + where
                    + " is not available here: error answers carry no stack traces or exceptions.");
        }
    }

    private static String typeList() {
        return "read, list, search, version, exec, write";
    }

    /** Echoes at most 40 printable ASCII characters of what the client sent. */
    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
    }

    private static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request", message);
    }
}
