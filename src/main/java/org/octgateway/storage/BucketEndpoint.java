package org.octgateway.storage;

import org.octgateway.validation.AllowList;

/**
 * One bucket endpoint of the API and the storage provider behind it.
 *
 * @param name                 the endpoint, as in its path (logs, metrics, job records)
 * @param provider             the provider whose routes serve it (routes/storage-{provider}.yaml)
 * @param defaultInputBucket   used when the request has no Input-Bucket-Name
 * @param defaultOutputBucket  used when the request has no Output-Bucket-Name
 * @param allowedInputBuckets  the buckets Input-Bucket-Name may name
 * @param allowedOutputBuckets the buckets Output-Bucket-Name may name
 */
public record BucketEndpoint(String name, String provider, String defaultInputBucket, String defaultOutputBucket,
                             AllowList allowedInputBuckets, AllowList allowedOutputBuckets) {

    /**
     * An endpoint whose allow-list setting names the buckets both headers may name ({@code *} for any). An empty
     * setting means the configured ones: Input-Bucket-Name may name only the default input bucket and
     * Output-Bucket-Name only the default output bucket, so an unconfigured gateway reads and writes nothing else.
     */
    public static BucketEndpoint of(String name, String provider, String defaultInputBucket, String defaultOutputBucket,
                                    String allowedBucketsSetting) {
        return new BucketEndpoint(name, provider, defaultInputBucket, defaultOutputBucket,
                AllowList.orElse(allowedBucketsSetting, defaultInputBucket),
                AllowList.orElse(allowedBucketsSetting, defaultOutputBucket));
    }
}
