package org.octgateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The REST contract ({@code gateway.api.specification}, YAML or JSON), read once: the REST consumer routes by the
 * contract it read at startup. GET /api-doc answers it as JSON (what clients and generators fetched from the gateway
 * before it was contract first).
 */
public class ApiDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final String specification;
    private volatile JsonNode document;

    /** @param specification where the contract is ({@code gateway.api.specification}: classpath: or file:) */
    public ApiDocument(CamelContext context, String specification) {
        this.context = context;
        this.specification = specification;
    }

    /** The document as JSON text. */
    public String json() throws IOException {
        return JSON.writeValueAsString(document());
    }

    /** The paths the contract declares, exactly as written. */
    public Set<String> paths() {
        Set<String> paths = new TreeSet<>();
        document().path("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    /**
     * Whether the contract declares this request path: a path written exactly as the contract writes it, a path
     * parameter ({@code {request_uuid}}) standing for one non-empty segment.
     */
    public boolean declares(String path) {
        if (path == null) {
            return false;
        }
        for (String declared : paths()) {
            if (declared.equals(path) || declared.contains("{") && Pattern.matches(
                    Arrays.stream(declared.split("\\{[^/}]+}", -1)).map(Pattern::quote)
                            .collect(Collectors.joining("[^/]+")), path)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode document() {
        JsonNode read = document;
        if (read == null) {
            try (InputStream in = ResourceHelper.resolveMandatoryResource(context, specification).getInputStream()) {
                // SnakeYAML, as the OpenAPI parser Camel routes by: it expands aliases (*name), which Jackson's YAML drops.
                // YAML is a superset of JSON: reads either.
                read = JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
            } catch (IOException e) {
                throw new UncheckedIOException("The REST contract " + specification + " cannot be read", e);
            }
            document = read;
        }
        return read;
    }
}
