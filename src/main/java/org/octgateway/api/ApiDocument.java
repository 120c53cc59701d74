package org.octgateway.api;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.rest.openapi.DefaultRestOpenapiProcessorStrategy;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * How the contract-first REST consumer serves GET /api-doc: the OpenAPI document as JSON (what clients and generators
 * fetched from the code-first gateway), whether the file is written in YAML or JSON. Camel's own strategy answers the
 * file's text as it is ({@code text/yaml} for YAML) and echoes the request's headers back.
 */
public class ApiDocument extends DefaultRestOpenapiProcessorStrategy {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile String json;

    @Override
    public boolean processApiSpecification(String specificationUri, Exchange exchange, AsyncCallback callback) {
        try {
            String document = asJson(specificationUri);
            exchange.getMessage().getHeaders().clear();
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody(document);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    /** The document, read once: the contract is fixed while the REST consumer runs (it routes by it). */
    private String asJson(String specificationUri) throws IOException {
        String document = json;
        if (document == null) {
            Resource resource = PluginHelper.getResourceLoader(getCamelContext()).resolveMandatoryResource(specificationUri);
            try (InputStream in = resource.getInputStream()) {
                JsonNode tree = YAML.readTree(in); // YAML is a superset of JSON: reads either
                document = JSON.writeValueAsString(tree);
            }
            json = document;
        }
        return document;
    }
}
