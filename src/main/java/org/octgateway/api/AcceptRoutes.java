package org.octgateway.api;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The accepting side of the REST API (the REST definitions themselves are in routes/rest-api.yaml):
 * validate, queue durably, answer at once. Nothing slow happens here. The bucket endpoints are
 * routes/bucket-endpoints.yaml.
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

        // Every business endpoint starts by naming its caller (401 without a valid API key); /ping and /api-doc do not.
        from("direct:accept-upload").routeId("accept-upload")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("authentication", "authenticate")
                .bean("requestValidator", "validateUpload")
                .bean("callerBacklog", "requireRoom") // a full queue refuses before the upload is read
                .bean(org.octgateway.validation.UploadedImage.class, "read")
                .bean("acceptance", "acceptUpload");
    }
}
