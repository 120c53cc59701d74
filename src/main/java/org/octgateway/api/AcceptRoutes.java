package org.octgateway.api;

import org.apache.camel.builder.RouteBuilder;

/**
 * The accepting side of the REST API (the REST definitions themselves are in routes/rest-api.yaml):
 * validate, queue durably, answer at once. Nothing slow happens here.
 */
public class AcceptRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:ping").routeId("ping")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("queueHealth", "answerPing");

        from("direct:accept-upload").routeId("accept-upload")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("requestValidator", "validateUpload")
                .bean(org.octgateway.validation.UploadedImage.class, "read")
                .bean("acceptance", "acceptUpload");
    }
}
