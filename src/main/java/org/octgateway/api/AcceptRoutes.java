package org.octgateway.api;

import java.nio.ByteBuffer;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.octgateway.job.MessageNames;
import org.octgateway.state.Idempotency;
import org.octgateway.state.RequestStates;
import org.octgateway.validation.RequestValidator;
import org.octgateway.validation.UploadedImage;

/**
 * The accepting side of the REST API: the routes {@code direct:<operationId>} the REST contract's operations are
 * routed to (routes/rest-api.yaml, routes/openapi/gateway-api.yaml): validate, queue durably, answer at once.
 * Nothing slow happens here. The bucket endpoints are routes/bucket-endpoints.yaml.
 */
public class AcceptRoutes extends RouteBuilder {

    /** The route configuration (routes/errors.yaml) that leaves a sub-route's failures to its caller. */
    private static final String PROPAGATE_ERRORS = "propagate-errors";

    @Override
    public void configure() {
        // GET /ping is answered by PingAnswer on the event loop; this route (the contract's) answers the same
        from("direct:ping").routeId("ping")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .bean("queueHealth", "requireAcceptingWork") // 503 while the queue is down or shutting down
                .removeHeaders("*") // the request's headers are not answered back
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(constant(PingAnswer.OK));

        // POST /invocations: authenticate → validate → room in queue → read the image → its job queued → answer.
        // Every business endpoint starts by naming its caller (401 without a valid API key); /ping and /api-doc do not.
        from("direct:invocations").routeId("accept-upload")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .to("direct:authenticate")
                .setProperty(RequestValidator.JOB_REQUEST, method("requestValidator", "validateUpload"))
                .setProperty(RequestStates.REQUEST_TTL, method("requestStates", "ttlSeconds"))
                .bean("callerBacklog", "requireRoom") // a full queue refuses before the upload is read
                .setProperty(UploadedImage.PROPERTY, method(UploadedImage.class, "read"))
                // the same Idempotency-Key and request again: the first answer, nothing queued
                .setProperty(Idempotency.CHECK, method("idempotency", "begin"))
                .filter(Idempotency.replaying())
                    .to("direct:answer-again")
                    .stop()
                .end()
                .setBody(method("acceptance", "acceptUpload")) // its job queued → the answer
                .removeHeaders("*") // the request's headers are not answered back
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .marshal().json()
                .bean("idempotency", "remember")
                .convertBodyTo(ByteBuffer.class); // written whole, with its length: see StateRoutes "state-answer"

        // The answer an Idempotency-Key's first request was given, given again.
        from("direct:answer-again").routeId("answer-again")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(simple("${exchangeProperty." + Idempotency.CHECK + ".replay}"));

        // The caller's name (401 without a valid API key) for logs, metrics and quotas; the key itself goes no
        // further than this step. Refusals reach the calling route's error answers.
        from("direct:authenticate").routeId("authenticate")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .setProperty(MessageNames.CALLER, method("authentication", "callerOf"))
                .removeHeader(Authentication.AUTHORIZATION)
                .removeHeader(Authentication.API_KEY);
    }
}
