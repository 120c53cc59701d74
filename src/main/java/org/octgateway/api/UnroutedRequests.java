package org.octgateway.api;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * JSON answers for requests the contract-first REST consumer routes nowhere. That consumer takes every path on the
 * business port and answers a path that is not in the OpenAPI document 404, a method the path does not have 405
 * (with Allow), both with no body of their own: this policy on its route makes them the gateway's JSON error, without
 * the request's headers or body.
 */
public class UnroutedRequests implements RoutePolicyFactory {

    private final String restRouteId;

    /** @param restRouteId the id of the route the REST consumer runs in ({@code routeId} in routes/rest-api.yaml) */
    public UnroutedRequests(String restRouteId) {
        this.restRouteId = restRouteId;
    }

    @Override
    public RoutePolicy createRoutePolicy(org.apache.camel.CamelContext camelContext, String routeId, NamedNode route) {
        return restRouteId.equals(routeId) ? new Policy() : null;
    }

    private static final class Policy extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getProperty(Exchange.REST_OPENAPI) != null || exchange.isFailed()) {
                return; // an operation (or /api-doc) was found: its route answered
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
            String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
            if (status != null && status == 404) {
                ErrorResponses.answer(exchange, new ApiError(404, "not_found", "No such endpoint: " + method + " " + path));
            } else if (status != null && status == 405) {
                String allow = exchange.getMessage().getHeader("Allow", String.class);
                ErrorResponses.answer(exchange, new ApiError(405, "method_not_allowed",
                        path + " does not take " + method + "; it takes " + allow + ".", Map.of("Allow", allow)));
            }
        }
    }
}
