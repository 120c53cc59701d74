package org.octgateway.storage;

import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.camel.Header;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.RequestHeaders;
import org.octgateway.validation.AllowList;

/**
 * One bucket endpoint's request validator: the headers of a request to it, checked against its default buckets
 * and allow-list, become a {@link BucketRequest}. routes/bucket-endpoints.yaml makes one per endpoint.
 */
public class BucketRequests {

    public static final String BUCKET_REQUEST = "gatewayBucketRequest";

    /** Lower-case bucket / container names, as the cloud stores allow them; also safe as a folder name. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

    private final BucketEndpoint endpoint;

    public BucketRequests(BucketEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The validator of the endpoint {@code name}, defined among the gateway's endpoints (see {@link BucketEndpoint#of}). */
    public BucketRequests(BucketEndpoints endpoints, String name, String provider, String defaultInputBucket,
                          String defaultOutputBucket, String allowedBucketsSetting) {
        this(endpoints.define(name, provider, defaultInputBucket, defaultOutputBucket, allowedBucketsSetting));
    }

    public BucketRequest validate(@Header(RequestHeaders.INPUT_LOCATION) String rawLocation,
                                  @Header(RequestHeaders.INPUT_BUCKET_NAME) String inputBucketName,
                                  @Header(RequestHeaders.OUTPUT_BUCKET_NAME) String outputBucketName,
                                  @Header(RequestHeaders.WRITE_TO_GCS) String writeToGcs) {
        if (rawLocation == null || rawLocation.isBlank()) {
            throw ApiError.missingHeader(RequestHeaders.INPUT_LOCATION);
        }
        String location = rawLocation.trim();
        while (location.startsWith("/")) {
            location = location.substring(1);
        }
        if (location.isEmpty()) {
            // an exam is an object or a folder in the bucket; a whole bucket is nobody's exam
            throw ApiError.invalidHeader(RequestHeaders.INPUT_LOCATION,
                    "must name an object or a folder inside the bucket, not the whole bucket.");
        }
        boolean folder = location.endsWith("/");
        while (location.endsWith("/")) {
            location = location.substring(0, location.length() - 1);
        }
        checkObjectName(location);

        String inputBucket = bucket(inputBucketName, RequestHeaders.INPUT_BUCKET_NAME, endpoint.defaultInputBucket(),
                endpoint.allowedInputBuckets());
        String outputBucket = bucket(outputBucketName, RequestHeaders.OUTPUT_BUCKET_NAME, endpoint.defaultOutputBucket(),
                endpoint.allowedOutputBuckets());
        return new BucketRequest(endpoint, inputBucket, location, folder, outputBucket, parseBoolean(writeToGcs));
    }

    /** Write-To-GCS: true/false/1/0/yes/no in any case; absent means false. */
    static boolean parseBoolean(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiError.invalidHeader(RequestHeaders.WRITE_TO_GCS,
                    "must be true or false (also accepted: 1/0, yes/no).");
        };
    }

    private static String bucket(String value, String header, String defaultBucket, AllowList allowed) {
        if (value == null || value.isBlank()) {
            if (defaultBucket == null || defaultBucket.isBlank()) {
                throw ApiError.missingHeader(header);
            }
            return defaultBucket;
        }
        String bucket = value.trim();
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw ApiError.invalidHeader(header,
                    "is not a valid bucket or container name (3 or more lower-case letters, digits, '-', '_' or '.').");
        }
        if (!allowed.allows(bucket)) {
            throw new ApiError(403, "bucket_not_allowed", "The " + header + " '" + bucket
                    + "' is not one this endpoint may use (the gateway's allowed-buckets / allowed-containers setting).");
        }
        return bucket;
    }

    /** No '.' or '..' segments and no control characters: a location names objects, never a path out of the bucket. */
    private static void checkObjectName(String location) {
        if (location.length() > 1024) {
            throw ApiError.invalidHeader(RequestHeaders.INPUT_LOCATION, "is longer than 1024 characters.");
        }
        for (String segment : location.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || segment.isEmpty()) {
                throw ApiError.invalidHeader(RequestHeaders.INPUT_LOCATION,
                        "must be an object name or folder prefix without '.', '..' or empty segments.");
            }
        }
        if (location.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            throw ApiError.invalidHeader(RequestHeaders.INPUT_LOCATION, "contains control characters or backslashes.");
        }
    }
}
