package org.octgateway.storage;

/**
 * The provider-neutral headers of the storage contract. Every provider (routes/storage-*.yaml) offers
 * three direct routes, {@code direct:storage-<provider>-list|fetch|write}, that read these headers:
 * <ul>
 * <li>list: {@link #BUCKET} and {@link #PREFIX} in; body out: the object names under the prefix, recursively</li>
 * <li>fetch: {@link #BUCKET} and {@link #OBJECT_NAME} in; body out: the object's bytes</li>
 * <li>write: {@link #BUCKET}, {@link #OBJECT_NAME} and the JSON body in; the object is written</li>
 * </ul>
 */
public final class StorageHeaders {

    public static final String BUCKET = "GatewayBucket";
    public static final String PREFIX = "GatewayPrefix";
    public static final String OBJECT_NAME = "GatewayObjectName";

    private StorageHeaders() {
    }
}
