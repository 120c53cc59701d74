package org.octgateway.api;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.octgateway.contract.ApiError;

/**
 * JSON answers for requests the contract-first REST consumer routes nowhere. That consumer takes every path on the
 * business port and answers a path that is not in the contract 404, a method the path does not have 405 (with Allow),
 * both without a body of their own: this policy on its route makes them the gateway's JSON error, without the
 * request's headers or body. Camel finds the path for its 405 ignoring case: a path not written as the contract
 * writes it is answered 404 (see {@link ExactPaths}).
 */
public class UnroutedRequests implements RoutePolicyFactory {

    /** The id of the route the contract-first REST consumer runs in ({@code routeId} in routes/rest-api.yaml). */
    public static final String REST_ROUTE_ID = "gateway-api";

    private final ApiDocument contract;

    public UnroutedRequests(ApiDocument contract) {
        this.contract = contract;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return REST_ROUTE_ID.equals(routeId) ? new Policy() : null;
    }

    private final class Policy extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getProperty(Exchange.REST_OPENAPI) != null || exchange.isFailed()) {
                return; // an operation was found: its route answered
            }
            Message message = exchange.getMessage();
            Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
            String path = message.getHeader(Exchange.HTTP_PATH, String.class);
            if (status != null && status == 405 && contract.declares(path)) {
                String allow = message.getHeader("Allow", String.class);
                answer(message, new ApiError(405, "method_not_allowed",
                        path + " does not take " + method + "; it takes " + allow + ".", Map.of("Allow", allow)));
            } else if (status != null && (status == 404 || status == 405)) {
                answer(message, new ApiError(404, "not_found", "No such endpoint: " + method + " " + path));
            }
        }
    }

    /** The JSON error, as the rest-errors route configuration (routes/errors.yaml) answers it, after the route. */
    private static void answer(Message message, ApiError error) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, error.httpStatus());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        error.responseHeaders().forEach(message::setHeader);
        message.setBody(error.json());
    }
}
