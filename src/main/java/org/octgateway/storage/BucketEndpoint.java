package org.octgateway.storage;

import org.octgateway.validation.AllowList;

/**
 * One bucket endpoint of the API and the storage provider behind it.
 *
 * @param name                the endpoint, as in its path (logs, metrics, job records)
 * @param provider            the provider whose routes serve it: gcs, azure, local, or one an engineer added
 * @param defaultInputBucket  used when the request has no Input-Bucket-Name
 * @param defaultOutputBucket used when the request has no Output-Bucket-Name
 * @param allowedBuckets      the buckets requests may name (input and output); empty allows any
 */
public record BucketEndpoint(String name, String provider, String defaultInputBucket, String defaultOutputBucket,
                             AllowList allowedBuckets) {
}
