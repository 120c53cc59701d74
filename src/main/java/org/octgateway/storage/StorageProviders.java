package org.octgateway.storage;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExchangeProperty;
import org.octgateway.contract.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which storage providers can serve requests, as each provider's class ({@link StorageProvider}) says. A provider
 * without credentials makes only its own endpoints answer 503 (naming what is missing); the rest of the gateway
 * keeps working. A provider with no such class (local, or a YAML-only one) is always available.
 */
public class StorageProviders implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(StorageProviders.class);
    /** The failure of the provider's list route, kept by the endpoint's route to answer it after its doTry. */
    public static final String LISTING_FAILURE = "gatewayListingFailure";

    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private CamelContext camelContext;
    private volatile Map<String, StorageProvider> byName;

    public void requireAvailable(@ExchangeProperty(BucketRequests.BUCKET_REQUEST) BucketRequest request) {
        String provider = request.endpoint().provider();
        StorageProvider javaHalf = byName().get(provider);
        String missing = javaHalf == null ? null : javaHalf.missingSetting();
        if (missing != null) {
            if (warned.add(provider)) {
                LOG.warn("Storage provider '{}' is unavailable: {}. Its endpoints answer 503; everything else works.",
                        provider, missing);
            }
            throw new ApiError(503, "provider_unavailable", "The " + provider
                    + " storage provider is not configured: " + missing + ".");
        }
    }

    /** A listing that failed: a missing bucket is the client's 404, a refused location 403, anything else the provider's 502. */
    public void listingFailed(@ExchangeProperty(LISTING_FAILURE) Exception cause,
                              @ExchangeProperty(BucketRequests.BUCKET_REQUEST) BucketRequest request) {
        StorageRefused refused = StorageFailures.refused(cause);
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

    /** The providers' Java halves by name, looked up once: every provider has bound itself before the first request. */
    private Map<String, StorageProvider> byName() {
        Map<String, StorageProvider> providers = byName;
        if (providers == null) {
            providers = camelContext.getRegistry().findByType(StorageProvider.class).stream()
                    .collect(Collectors.toUnmodifiableMap(StorageProvider::name, Function.identity()));
            byName = providers;
        }
        return providers;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
