package org.octgateway.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.rest.openapi.DefaultRestOpenapiProcessorStrategy;
import org.apache.camel.support.processor.RestBindingAdvice;

/**
 * How the contract-first REST consumer hands a request to its operation's route, but only for a path written as the
 * contract writes it. Camel matches paths ignoring case; the API's paths are exact (POST /INVOCATIONS is no upload):
 * a path that differs is answered 404, as the gateway did before it was contract first ({@link UnroutedRequests}
 * writes the JSON error). A path parameter stands for one segment.
 */
public class ExactPaths extends DefaultRestOpenapiProcessorStrategy {

    private final ApiDocument contract;

    public ExactPaths(CamelContext context, ApiDocument contract) {
        setCamelContext(context); // Camel sets it only after the REST consumer has started using the strategy
        this.contract = contract;
    }

    @Override
    public boolean process(OpenAPI openAPI, Operation operation, String verb, String path, RestBindingAdvice binding,
                           Exchange exchange, AsyncCallback callback) {
        if (!contract.declares(exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class))) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.setRouteStop(true);
            callback.done(true);
            return true;
        }
        return super.process(openAPI, operation, verb, path, binding, exchange, callback);
    }
}
