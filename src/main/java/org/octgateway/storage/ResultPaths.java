package org.octgateway.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a job's result is written: the template {@code gateway.result-path-template} with {@code {path}}
 * replaced by the input object's full name, extension included ({@code od/slice-001.png} gives
 * {@code results/od/slice-001.png.json}), so every input object of a bucket has a result of its own:
 * {@code scan.png}, {@code scan.PNG} and {@code scan.tiff} are three objects and get three results.
 * {@code {bucket}} adds the input bucket, for gateways that allow several input buckets into one output
 * bucket; {@code {request_uuid}} keeps every run of the same object instead of the latest.
 * Deterministic without {@code {request_uuid}}: a re-run of the same object replaces its own earlier result.
 * Input names are validated to have no '.' or '..' segments, so the result stays under the template's prefix.
 */
public class ResultPaths {

    public static final String PATH = "{path}";
    public static final String BUCKET = "{bucket}";
    public static final String REQUEST_UUID = "{request_uuid}";

    private static final Logger LOG = LoggerFactory.getLogger(ResultPaths.class);

    private final String template;

    public ResultPaths(String template) {
        if (template == null || !template.contains(PATH)) {
            throw new IllegalArgumentException("gateway.result-path-template must contain " + PATH + ": " + template);
        }
        this.template = template;
    }

    public String forInput(String inputBucket, String objectName, String requestUuid) {
        return template.replace(BUCKET, inputBucket).replace(REQUEST_UUID, requestUuid).replace(PATH, objectName);
    }

    /**
     * Results of different input buckets land on the same path when the template cannot tell the buckets apart:
     * warns at startup when an endpoint allows several input buckets and the template has neither {bucket} nor
     * {request_uuid}.
     */
    public boolean warnIfBucketsCollide(BucketEndpoint endpoint) {
        boolean collide = endpoint.allowedInputBuckets().allowsSeveral()
                && !template.contains(BUCKET) && !template.contains(REQUEST_UUID);
        if (collide) {
            LOG.warn("{} allows several input buckets but gateway.result-path-template ({}) has no {} placeholder: the same"
                    + " object name in two input buckets gets the same result_path, and the later result replaces the"
                    + " earlier one. Add {} to the template (e.g. results/{}/{}.json).",
                    endpoint.name(), template, BUCKET, BUCKET, BUCKET, PATH);
        }
        return collide;
    }
}
