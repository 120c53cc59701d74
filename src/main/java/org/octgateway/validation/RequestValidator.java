package org.octgateway.validation;

import org.apache.camel.Header;
import org.octgateway.contract.RequestHeaders;

/** Validates the headers every endpoint shares: the validated request is one {@link JobRequest}. */
public class RequestValidator {

    /** Exchange property: the validated {@link JobRequest}, set by the route from what this validator answers. */
    public static final String JOB_REQUEST = "gatewayJobRequest";

    private final WebhookAddressPolicy webhookAddressPolicy;

    public RequestValidator(WebhookAddressPolicy webhookAddressPolicy) {
        this.webhookAddressPolicy = webhookAddressPolicy;
    }

    /** The headers of {@code POST /invocations} (where the spec also spells mm_crop_zone_nerve mm_nerve_crop_zone). */
    public JobRequest validateUpload(String webhookUrl, String inferenceParameters, String examinationId) {
        return validate(webhookUrl, inferenceParameters, examinationId, InferenceParameters.NERVE_CROP_ZONE_UPLOAD_SPELLING);
    }

    /** The shared headers of the bucket endpoints. */
    public JobRequest validateBucket(@Header(RequestHeaders.WEBHOOK_URL) String webhookUrl,
                                     @Header(RequestHeaders.INFERENCE_PARAMETERS) String inferenceParameters,
                                     @Header(RequestHeaders.EXAMINATION_ID) String examinationId) {
        return validate(webhookUrl, inferenceParameters, examinationId, InferenceParameters.NERVE_CROP_ZONE);
    }

    private JobRequest validate(String webhookUrl, String inferenceParameters, String examinationId,
                                String nerveCropZoneKey) {
        // in this order: a request with several faults is answered with the first
        String webhook = WebhookUrl.validate(webhookUrl, webhookAddressPolicy);
        String parameters = InferenceParameters.validate(inferenceParameters, nerveCropZoneKey);
        return new JobRequest(webhook, ExaminationId.validate(examinationId), parameters);
    }
}
