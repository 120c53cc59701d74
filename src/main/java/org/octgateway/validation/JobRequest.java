package org.octgateway.validation;

/**
 * What every endpoint validates before accepting work: where results go and what to tell the model.
 *
 * @param webhookUrl          absolute http(s) URL of the caller's webhook
 * @param examinationId       the caller's examination id, may be null
 * @param inferenceParameters validated Inference-Parameters JSON, defaults applied
 */
public record JobRequest(String webhookUrl, String examinationId, String inferenceParameters) {
}
