package org.octgateway.storage;

/**
 * One bucket endpoint of the API and the storage provider behind it.
 *
 * @param name                the endpoint, as in its path (logs, metrics, job records)
 * @param provider            the provider whose routes serve it: gcs, azure, local, or one an engineer added
 * @param defaultInputBucket  used when the request has no Input-Bucket-Name
 * @param defaultOutputBucket used when the request has no Output-Bucket-Name
 */
public record BucketEndpoint(String name, String provider, String defaultInputBucket, String defaultOutputBucket) {
}
