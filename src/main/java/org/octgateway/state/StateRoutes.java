package org.octgateway.state;

import java.nio.ByteBuffer;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.octgateway.job.MessageNames;

/**
 * The state of requests for callers (GET/DELETE /requests/{request_uuid}, GET /examinations/{examination_id}, each
 * routed from the REST contract to {@code direct:<operationId>}), the exam completion envelopes, and the store's
 * housekeeping (purge of old records).
 */
public class StateRoutes extends RouteBuilder {

    /** Route configurations in routes/errors.yaml. */
    private static final String REST_ERRORS = "rest-errors";
    private static final String PROPAGATE_ERRORS = "propagate-errors";
    /** Artemis' duplicate detection header: the broker keeps one message per id (per address, persisted). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    private static final String EXAM_COMPLETED = "examCompleted";

    @Override
    public void configure() {
        // GET /requests/{request_uuid}: the caller's record
        from("direct:get_request").routeId("request-status")
                .routeConfigurationId(REST_ERRORS)
                .to("direct:authenticate")
                .setBody(method("requestStates", "record"))
                .to("direct:state-answer");

        // DELETE /requests/{request_uuid}: cancel a queued job (202), the worker announces it cancelled
        from("direct:cancel_request").routeId("cancel-request")
                .routeConfigurationId(REST_ERRORS)
                .to("direct:authenticate")
                .setBody(method("requestStates", "cancel"))
                .to("direct:state-answer")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202));

        // GET /examinations/{examination_id}?limit=&after=: counts per state and one page of images
        from("direct:get_examination").routeId("examination-progress")
                .routeConfigurationId(REST_ERRORS)
                .to("direct:authenticate")
                .setBody(method("requestStates", "examination"))
                .to("direct:state-answer");

        from("direct:state-answer").routeId("state-answer")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .removeHeaders("*") // the request's headers are not answered back
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .marshal().json()
                // Camel 4.17's Vert.x platform-http writes a ByteBuffer whole, with its Content-Length. A String it
                // answers chunked; the marshalled stream, and a byte[] too, it pumps through the Vert.x worker pool in
                // 4 KB reads: ~13 % of an upload's CPU (issue 9).
                .convertBodyTo(ByteBuffer.class);

        // After an envelope's webhook outcome (routes/delivery.yaml): the last image of an exam folder queues the
        // exam's completion, in the delivery's own transaction (see ExamCompletion).
        from("direct:exam-progress").routeId("exam-progress")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .setBody(method("examCompletion", "claimAfter"))
                .filter(body().isNotNull())
                    .to("direct:queue-exam-completed")
                .end();

        // The exam_completed envelope goes to the webhook through the normal delivery route (signed, retried,
        // dead-lettered); its duplicate id lets the broker keep one copy however often it is queued.
        from("direct:queue-exam-completed").routeId("queue-exam-completed")
                .routeConfigurationId(PROPAGATE_ERRORS)
                .setProperty(EXAM_COMPLETED, body())
                .removeHeaders("*")
                .setHeader(MessageNames.DELIVERY_PROPERTY, simple("${exchangeProperty.examCompleted.delivery}"))
                .setHeader(DUPLICATE_ID, simple("${exchangeProperty.examCompleted.duplicateId}"))
                .setBody(simple("${exchangeProperty.examCompleted.envelope}"))
                .to("jms:queue:{{gateway.queue.deliveries}}")
                .setBody(exchangeProperty(EXAM_COMPLETED));

        // Completions a crash left half-way: done exams nobody claimed, claims not yet confirmed (queued again under
        // the same duplicate id, committed at once, then confirmed).
        from("timer:exam-completion-sweep?delay={{gateway.exam.sweep-interval-ms}}&period={{gateway.exam.sweep-interval-ms}}")
                .routeId("exam-completion-sweep")
                .setBody(method("examCompletion", "due"))
                .split(body())
                    .to("direct:queue-exam-completed")
                    .bean("examCompletion", "sent")
                .end();

        // Records older than gateway.db.retention-days, and expired Idempotency-Keys, are deleted.
        from("timer:state-purge?delay=60000&period={{gateway.db.purge-interval-ms}}")
                .routeId("state-purge")
                .setBody(method("statePurge", "purge"))
                .log(LoggingLevel.INFO, RequestStates.class.getName(), "State store purge: ${body} row(s) deleted");

        // The embedded H2 file's chunks that are mostly dead are rewritten, so that their space is reused
        // (EmbeddedStoreCompaction); an external database does its own housekeeping.
        if (StateConfiguration.isEmbedded(getContext().getPropertiesComponent().resolveProperty("gateway.db.url").orElse(null))) {
            from("timer:embedded-store-compaction?delay={{gateway.db.compaction-interval-ms}}"
                    + "&period={{gateway.db.compaction-interval-ms}}")
                    .routeId("embedded-store-compaction")
                    .bean("embeddedStoreCompaction", "compact({{gateway.db.compaction-budget-ms}})");
        }
    }
}
