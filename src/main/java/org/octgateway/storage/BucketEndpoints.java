package org.octgateway.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bucket endpoints defined by routes/bucket-endpoints.yaml, as each one's route is created from the template
 * (at startup): warns when an endpoint's results could collide.
 */
public class BucketEndpoints {

    private final Map<String, BucketEndpoint> endpoints = new ConcurrentHashMap<>();
    private final ResultPaths resultPaths;

    public BucketEndpoints(ResultPaths resultPaths) {
        this.resultPaths = resultPaths;
    }

    /** Called for each endpoint the template creates; see {@link BucketEndpoint#of}. */
    public BucketEndpoint define(String name, String provider, String defaultInputBucket, String defaultOutputBucket,
                                 String allowedBucketsSetting) {
        BucketEndpoint endpoint = BucketEndpoint.of(name, provider, defaultInputBucket, defaultOutputBucket,
                allowedBucketsSetting);
        endpoints.put(name, endpoint);
        resultPaths.warnIfBucketsCollide(endpoint);
        return endpoint;
    }
}
