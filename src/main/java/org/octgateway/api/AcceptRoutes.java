package org.octgateway.api;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.octgateway.validation.RequestValidator;
import org.octgateway.validation.UploadedImage;

/**
 * The accepting side of the REST API: the routes {@code direct:<operationId>} the REST contract's operations are
 * routed to (routes/rest-api.yaml, routes/openapi/gateway-api.yaml): validate, queue durably, answer at once.
 * Nothing slow happens here. The bucket endpoints are routes/bucket-endpoints.yaml.
 */
public class AcceptRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:ping").routeId("ping")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("queueHealth", "requireAcceptingWork") // 503 while the queue is down or shutting down
                .removeHeaders("*") // the request's headers are not answered back
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(constant("{\"status\":\"ok\"}"));

        // POST /invocations: authenticate → validate → room in queue → read the image → its job → queue → answer.
        // Every business endpoint starts by naming its caller (401 without a valid API key); /ping and /api-doc do not.
        from("direct:invocations").routeId("accept-upload")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("authentication", "authenticate")
                .setProperty(RequestValidator.JOB_REQUEST, method("requestValidator", "validateUpload"))
                .bean("callerBacklog", "requireRoom") // a full queue refuses before the upload is read
                .setProperty(UploadedImage.PROPERTY, method(UploadedImage.class, "read"))
                .setBody(method("acceptance", "uploadJob"))
                .setBody(method("acceptance", "queueUpload"))
                .setBody(method("acceptance", "uploadSent"))
                .removeHeaders("*") // the request's headers are not answered back
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .marshal().json();
    }
}
