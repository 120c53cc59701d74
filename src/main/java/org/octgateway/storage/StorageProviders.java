package org.octgateway.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.octgateway.contract.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which storage providers can serve requests. A provider without credentials makes only its own
 * endpoints answer 503 (naming what is missing); the rest of the gateway keeps working.
 */
public class StorageProviders {

    private static final Logger LOG = LoggerFactory.getLogger(StorageProviders.class);
    private final Map<String, String> unavailable = new ConcurrentHashMap<>();

    /** Records, and logs once at startup, that {@code provider} cannot serve requests and why. */
    public void markUnavailable(String provider, String whatIsMissing) {
        unavailable.put(provider, whatIsMissing);
        LOG.warn("Storage provider '{}' is unavailable: {}. Its endpoints answer 503; everything else works.",
                provider, whatIsMissing);
    }

    public boolean isAvailable(String provider) {
        return !unavailable.containsKey(provider);
    }

    public void requireAvailable(@ExchangeProperty(BucketRequests.BUCKET_REQUEST) BucketRequest request) {
        String missing = unavailable.get(request.endpoint().provider());
        if (missing != null) {
            throw new ApiError(503, "provider_unavailable", "The " + request.endpoint().provider()
                    + " storage provider is not configured: " + missing + ".");
        }
    }

    /** A listing that failed: a missing bucket is the client's 404, a refused link 403, anything else the provider's 502. */
    public void listingFailed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        BucketRequest request = exchange.getProperty(BucketRequests.BUCKET_REQUEST, BucketRequest.class);
        LocalBuckets.OutsideBucket refused = StorageFailures.outsideBucket(cause);
        if (refused != null) {
            throw new ApiError(403, "location_not_allowed", "The " + request.endpoint().provider() + " provider refused: "
                    + refused.getMessage() + ".");
        }
        if (StorageFailures.isNotFound(cause)) {
            throw new ApiError(404, "not_found", "The bucket '" + request.inputBucket() + "' does not exist.");
        }
        LOG.warn("Listing bucket '{}' failed: {}", request.inputBucket(), String.valueOf(cause));
        throw new ApiError(502, "storage_unavailable", "The " + request.endpoint().provider()
                + " storage provider could not list the bucket '" + request.inputBucket() + "'; try again later.");
    }
}
