package org.octgateway.api;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.octgateway.storage.BucketRequests;

/**
 * The accepting side of the REST API (the REST definitions themselves are in routes/rest-api.yaml):
 * validate, queue durably, answer at once. Nothing slow happens here.
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

        // The bucket endpoints differ only in their endpoint bean (name, provider, default buckets).
        bucketEndpoint("accept-gcs", "gcsEndpoint");
        bucketEndpoint("accept-azure", "azureEndpoint");

        // validate → list the exam (names only) with the endpoint's provider → split into jobs → queue → answer
        from("direct:accept-bucket").routeId("accept-bucket")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("authentication", "authenticate")
                .bean("requestValidator", "validateBucket")
                .bean("bucketRequests", "validate")
                .bean("storageProviders", "requireAvailable")
                .bean("callerBacklog", "requireRoom") // a full queue refuses before the folder is listed
                .doTry()
                    .toD("direct:storage-${exchangeProperty." + BucketRequests.BUCKET_ENDPOINT + ".provider}-list")
                .doCatch(Exception.class)
                    .bean("storageProviders", "listingFailed")
                .end()
                .bean("examListing", "accept");
    }

    private void bucketEndpoint(String routeId, String endpointBean) {
        from("direct:" + routeId).routeId(routeId)
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .setProperty(BucketRequests.BUCKET_ENDPOINT, simple("${ref:" + endpointBean + "}"))
                .to("direct:accept-bucket");
    }
}
