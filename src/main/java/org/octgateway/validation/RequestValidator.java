package org.octgateway.validation;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.octgateway.contract.RequestHeaders;
import org.octgateway.validation.WebhookAddressPolicy;

/** Validates the headers every endpoint shares and leaves a {@link JobRequest} on the exchange. */
public class RequestValidator {

    public static final String JOB_REQUEST = "gatewayJobRequest";

    private final WebhookAddressPolicy webhookAddressPolicy;

    public RequestValidator(WebhookAddressPolicy webhookAddressPolicy) {
        this.webhookAddressPolicy = webhookAddressPolicy;
    }

    /** Validates the headers of {@code POST /invocations}. */
    public void validateUpload(Exchange exchange) {
        validate(exchange, InferenceParameters.NERVE_CROP_ZONE_UPLOAD_SPELLING);
    }

    /** Validates the shared headers of the bucket endpoints. */
    public void validateBucket(Exchange exchange) {
        validate(exchange, InferenceParameters.NERVE_CROP_ZONE);
    }

    private void validate(Exchange exchange, String nerveCropZoneKey) {
        Message in = exchange.getMessage();
        String webhookUrl = WebhookUrl.validate(in.getHeader(RequestHeaders.WEBHOOK_URL, String.class), webhookAddressPolicy);
        String parameters = InferenceParameters.validate(
                in.getHeader(RequestHeaders.INFERENCE_PARAMETERS, String.class), nerveCropZoneKey);
        String examinationId = ExaminationId.validate(in.getHeader(RequestHeaders.EXAMINATION_ID, String.class));
        exchange.setProperty(JOB_REQUEST, new JobRequest(webhookUrl, examinationId, parameters));
    }
}
