package org.octgateway;

import java.util.Optional;
import java.util.Properties;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultRegistry;

/**
 * /bucket_invocations on the gcs provider (camel-google-storage) against Google's in-process fake
 * Storage, LocalStorageHelper, bound as the gateway's Storage client.
 */
class GcsBucketEndpointTest extends BucketEndpointContract {

    private Storage storage;

    @Override
    String endpoint() {
        return "/bucket_invocations";
    }

    @Override
    void providerProperties(Properties properties) {
        properties.setProperty("gateway.gcs.backend", "gcs");
    }

    /** Bound before the gateway's configuration runs, which then uses it instead of building one. */
    @Override
    protected Registry createCamelRegistry() {
        Registry registry = new DefaultRegistry();
        registry.bind("googleStorage", Storage.class, storage());
        return registry;
    }

    private Storage storage() {
        if (storage == null) {
            storage = LocalStorageHelper.getOptions().getService();
        }
        return storage;
    }

    @Override
    BucketStore store() {
        return new BucketStore() {
            @Override
            public void put(String bucket, String name, byte[] content) {
                // LocalStorageHelper leaves objects without a generation unless given one; real GCS always has one.
                storage().create(BlobInfo.newBuilder(BlobId.of(bucket, name, 1L)).build(), content);
            }

            @Override
            public Optional<byte[]> get(String bucket, String name) {
                Blob blob = storage().get(BlobId.of(bucket, name));
                return blob == null ? Optional.empty() : Optional.of(blob.getContent());
            }

            @Override
            public void delete(String bucket, String name) {
                storage().delete(BlobId.of(bucket, name));
            }

            @Override
            public void putFolderPlaceholder(String bucket, String folder) {
                put(bucket, folder, new byte[0]);
            }
        };
    }
}
