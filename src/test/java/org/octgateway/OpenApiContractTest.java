package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.spi.RestRegistry;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST contract a client generator reads at /api-doc: valid OpenAPI 3 for an independent validator
 * (swagger-parser), every operation in it routed, every REST endpoint of the gateway in it.
 */
class OpenApiContractTest extends GatewayTestSupport {

    private static final Set<String> OPERATIONS = Set.of("GET /ping", "POST /invocations", "POST /bucket_invocations",
            "POST /bucket_invocations_azure_uae", "POST /bucket_invocations_s3");

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withEnableJMX(); // route MBeans: the exchange count of each operation's route
    }

    @Test
    void apiDocIsAValidOpenApi3DocumentForAnIndependentValidator() {
        HttpResponse<String> answer = get("/api-doc");
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

        SwaggerParseResult result = validate(answer.body());
        assertEquals(List.of(), result.getMessages(), "validator messages");
        assertTrue(result.getOpenAPI().getOpenapi().startsWith("3."), result.getOpenAPI().getOpenapi());
        assertTrue(operationsOf(result.getOpenAPI()).containsAll(OPERATIONS), operationsOf(result.getOpenAPI()).toString());
    }

    /** The validator is not lenient: the form the code-first document used for the upload is refused. */
    @Test
    void theValidatorRefusesAnOpenApi2FormDataParameter() {
        String formData = """
                {"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/invocations":{"post":{
                "parameters":[{"name":"image","in":"formData","type":"file","required":true}],
                "responses":{"200":{"description":"ok"}}}}}}""";
        assertFalse(validate(formData).getMessages().isEmpty(), "in: formData must not pass as OpenAPI 3");
    }

    @Test
    void theUploadIsAMultipartBodyWithABinaryImageAndTheHeadersAreHeaderParameters() {
        OpenAPI api = validate(get("/api-doc").body()).getOpenAPI();
        var upload = api.getPaths().get("/invocations").getPost();
        Schema<?> form = upload.getRequestBody().getContent().get("multipart/form-data").getSchema();
        assertNotNull(form, "a multipart/form-data request body");
        assertEquals("binary", ((Schema<?>) form.getProperties().get("image")).getFormat());
        assertTrue(form.getRequired().contains("image"));
        Map<String, Boolean> headers = new TreeMap<>();
        for (Parameter parameter : upload.getParameters()) {
            assertEquals("header", parameter.getIn(), parameter.getName());
            headers.put(parameter.getName(), Boolean.TRUE.equals(parameter.getRequired()));
        }
        assertEquals(Map.of("Webhook-Url", true, "Examination-ID", false, "Inference-Parameters", false,
                "Idempotency-Key", false, "Request-TTL-Seconds", false), headers);
        assertEquals("#/components/schemas/Error",
                upload.getResponses().get("400").getContent().get("application/json").getSchema().get$ref());
    }

    /**
     * A request to each operation of the document reaches the route {@code direct:<operationId>} (its exchange count
     * grows), rather than a 404/405 of the HTTP layer.
     */
    @Test
    void everyOperationInTheDocumentReachesItsRoute() throws Exception {
        OpenAPI api = validate(get("/api-doc").body()).getOpenAPI();
        List<String> reached = new ArrayList<>();
        for (var path : api.getPaths().entrySet()) {
            for (var operation : path.getValue().readOperationsMap().entrySet()) {
                String operationId = operation.getValue().getOperationId();
                Route route = context.getRoutes().stream()
                        .filter(r -> r.getEndpoint().getEndpointUri().equals("direct://" + operationId))
                        .findFirst().orElseThrow(() -> new AssertionError("no route direct:" + operationId));
                ManagedRouteMBean managed = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                        .getManagedRoute(route.getRouteId());
                long before = managed.getExchangesTotal();

                String method = operation.getKey().name();
                // a path parameter gets a value its route refuses (400): the request reached the route all the same
                String target = path.getKey().replaceAll("\\{[^}]+}", "e".repeat(300));
                HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway(target))
                        .method(method, HttpRequest.BodyPublishers.noBody()));

                String code = json(answer.body()).path("error").asText();
                assertFalse(Set.of("not_found", "method_not_allowed").contains(code), method + " " + path.getKey()
                        + ": " + answer.statusCode() + " " + answer.body());
                if ("ping".equals(operationId)) {
                    // answered on the event loop by api/PingAnswer, before the REST consumer: the same answer, no exchange
                    assertEquals(200, answer.statusCode(), answer.body());
                } else {
                    assertEquals(before + 1, managed.getExchangesTotal(), method + " " + path.getKey() + " → " + route.getRouteId());
                }
                reached.add(method + " " + path.getKey());
            }
        }
        assertTrue(reached.containsAll(OPERATIONS), reached.toString());
    }

    /** Every REST endpoint the business port serves (but /api-doc itself) is an operation of the document. */
    @Test
    void everyRestEndpointOfTheGatewayIsInTheDocument() {
        Set<String> documented = operationsOf(validate(get("/api-doc").body()).getOpenAPI());
        Set<String> served = new TreeSet<>();
        for (RestRegistry.RestService service : context.getRestRegistry().listAllRestServices()) {
            String template = service.getUriTemplate() == null ? "" : service.getUriTemplate();
            served.add(service.getMethod().toUpperCase() + " " + service.getBaseUrl() + template);
        }
        assertEquals(documented, served);
    }

    @Test
    void aPathNotInTheDocumentOrWrittenInAnotherCaseIsAJson404AndAnotherMethodAJson405() {
        for (String path : List.of("/nope", "/INVOCATIONS", "/Ping")) {
            HttpResponse<String> answer = get(path);
            assertEquals(404, answer.statusCode(), path + ": " + answer.body());
            assertEquals("not_found", json(answer.body()).path("error").asText(), answer.body());
        }
        HttpResponse<String> delete = send(HttpRequest.newBuilder(gateway("/ping")).DELETE().header("X-Echo", "no"));
        assertEquals(405, delete.statusCode(), delete.body());
        assertEquals("method_not_allowed", json(delete.body()).path("error").asText(), delete.body());
        assertEquals("GET", delete.headers().firstValue("Allow").orElse(""));
        assertFalse(delete.headers().firstValue("X-Echo").isPresent(), "the request's headers are not answered back");
    }

    private static SwaggerParseResult validate(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIParser().readContents(document, null, options);
    }

    private static Set<String> operationsOf(OpenAPI api) {
        Set<String> operations = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach((PathItem.HttpMethod method) -> operations.add(method.name() + " " + path)));
        return operations;
    }
}
