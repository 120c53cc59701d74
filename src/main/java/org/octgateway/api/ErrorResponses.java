package org.octgateway.api;

import org.octgateway.contract.ApiError;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error handling shared by every route that answers an HTTP request ({@code rest-errors}): a refused
 * request becomes its JSON error, anything unexpected a 500 without a stack trace (the trace goes to
 * the log, never to the client).
 */
public class ErrorResponses extends RouteConfigurationBuilder {

    public static final String REST_ERRORS = "rest-errors";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    @Override
    public void configuration() {
        routeConfiguration(REST_ERRORS)
                .onException(ApiError.class)
                    .handled(true)
                    .process(exchange -> answer(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiError.class)))
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(exchange -> {
                        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        LOG.error("Request failed unexpectedly", cause);
                        answer(exchange, new ApiError(500, "internal_error",
                                "The gateway could not process the request; see its log."));
                    })
                .end();
    }

    /** Writes the JSON error answer for {@code error} onto the exchange. */
    public static void answer(Exchange exchange, ApiError error) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, error.httpStatus());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        error.responseHeaders().forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(error.json());
    }
}
