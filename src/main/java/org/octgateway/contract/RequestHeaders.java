package org.octgateway.contract;

/** The request header names of the API (kept exactly as the service this gateway replaces spells them). */
public final class RequestHeaders {

    public static final String WEBHOOK_URL = "Webhook-Url";
    public static final String EXAMINATION_ID = "Examination-ID";
    public static final String INFERENCE_PARAMETERS = "Inference-Parameters";
    public static final String INPUT_LOCATION = "Input-Location";
    public static final String INPUT_BUCKET_NAME = "Input-Bucket-Name";
    public static final String OUTPUT_BUCKET_NAME = "Output-Bucket-Name";
    public static final String WRITE_TO_GCS = "Write-To-GCS";

    /** The multipart form field that carries the uploaded image. */
    public static final String IMAGE_PART = "image";

    private RequestHeaders() {
    }
}
