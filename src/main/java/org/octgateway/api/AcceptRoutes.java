package org.octgateway.api;

import java.nio.ByteBuffer;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.octgateway.contract.RequestHeaders;
import org.octgateway.job.MessageNames;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.state.Idempotency;
import org.octgateway.state.RequestStates;
import org.octgateway.validation.JobRequest;
import org.octgateway.validation.RequestValidator;
import org.octgateway.validation.UploadedImage;

import static org.octgateway.job.BeanSteps.run;
import static org.octgateway.job.BeanSteps.value;

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
        // Plain calls (job/BeanSteps), as every upload takes these steps: method(...) copied the exchange for each.
        from("direct:invocations").routeId("accept-upload")
                .routeConfigurationId(ErrorResponses.REST_ERRORS)
                .to("direct:authenticate")
                .setProperty(RequestValidator.JOB_REQUEST, value("requestValidator", RequestValidator.class,
                        (validator, exchange) -> validator.validateUpload(header(exchange, RequestHeaders.WEBHOOK_URL),
                                header(exchange, RequestHeaders.INFERENCE_PARAMETERS), header(exchange, RequestHeaders.EXAMINATION_ID))))
                .setProperty(RequestStates.REQUEST_TTL, value("requestStates", RequestStates.class,
                        (states, exchange) -> states.ttlSeconds(header(exchange, RequestStates.REQUEST_TTL_HEADER))))
                // a full queue refuses before the upload is read
                .process(run("callerBacklog", CallerBacklog.class, (backlog, exchange) -> backlog.requireRoom(caller(exchange))))
                .setProperty(UploadedImage.PROPERTY, value("UploadedImage.read", exchange -> UploadedImage.read(
                        exchange.getMessage(AttachmentMessage.class).getAttachments(),
                        exchange.getMessage().getHeader(Exchange.ATTACHMENTS_SIZE, Integer.class),
                        exchange.getMessage().getHeader(RequestHeaders.IMAGE_PART))))
                // the same Idempotency-Key and request again: the first answer, nothing queued
                .setProperty(Idempotency.CHECK, value("idempotency", Idempotency.class, (idempotency, exchange) -> idempotency.begin(
                        header(exchange, Idempotency.HEADER), caller(exchange), header(exchange, Exchange.HTTP_URI),
                        exchange.getProperty(UploadedImage.PROPERTY, UploadedImage.class), exchange.getMessage().getHeaders())))
                .filter(Idempotency.replaying())
                    .to("direct:answer-again")
                    .stop()
                .end()
                // its job queued → the answer
                .setBody(value("acceptance", Acceptance.class, (acceptance, exchange) -> acceptance.acceptUpload(
                        exchange.getProperty(RequestValidator.JOB_REQUEST, JobRequest.class),
                        exchange.getProperty(UploadedImage.PROPERTY, UploadedImage.class), caller(exchange),
                        exchange.getProperty(RequestStates.REQUEST_TTL, Long.class))))
                .removeHeaders("*") // the request's headers are not answered back
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .marshal().json()
                .process(run("idempotency", Idempotency.class, (idempotency, exchange) -> idempotency.remember(
                        exchange.getProperty(Idempotency.CHECK, Idempotency.Check.class), exchange.getMessage().getBody(String.class))))
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
                .setProperty(MessageNames.CALLER, value("authentication", Authentication.class, (authentication, exchange) ->
                        authentication.callerOf(header(exchange, Authentication.AUTHORIZATION), header(exchange, Authentication.API_KEY))))
                .removeHeader(Authentication.AUTHORIZATION)
                .removeHeader(Authentication.API_KEY);
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    private static String caller(Exchange exchange) {
        return exchange.getProperty(MessageNames.CALLER, String.class);
    }
}
