package org.octgateway.storage;

import java.nio.file.Path;

import com.azure.storage.blob.BlobServiceClient;
import com.google.cloud.storage.Storage;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;

/**
 * The bucket endpoints and their providers. Cloud clients are bound for the storage components to autowire; a
 * provider that cannot be built is marked unavailable (its endpoints answer 503).
 */
public class StorageConfiguration implements CamelConfiguration {

    @BindToRegistry
    public BucketEndpoint gcsEndpoint(@PropertyInject("gateway.gcs.backend") String backend,
                                      @PropertyInject("gateway.gcs.input-bucket") String inputBucket,
                                      @PropertyInject("gateway.gcs.output-bucket") String outputBucket,
                                      @PropertyInject("gateway.gcs.allowed-buckets") String allowedBuckets) {
        return BucketEndpoint.of("bucket_invocations", backend, inputBucket, outputBucket, allowedBuckets);
    }

    @BindToRegistry
    public BucketEndpoint azureEndpoint(@PropertyInject("gateway.azure.backend") String backend,
                                        @PropertyInject("gateway.azure.input-container") String inputContainer,
                                        @PropertyInject("gateway.azure.output-container") String outputContainer,
                                        @PropertyInject("gateway.azure.allowed-containers") String allowedContainers) {
        return BucketEndpoint.of("bucket_invocations_azure_uae", backend, inputContainer, outputContainer,
                allowedContainers);
    }

    @BindToRegistry
    public BucketRequests bucketRequests() {
        return new BucketRequests();
    }

    @BindToRegistry
    public ResultPaths resultPaths(@PropertyInject("gateway.result-path-template") String template) {
        return new ResultPaths(template);
    }

    @BindToRegistry
    public ObjectNames objectNames() {
        return new ObjectNames();
    }

    @BindToRegistry
    public AzureBlobHeaders azureBlobHeaders() {
        return new AzureBlobHeaders();
    }

    @BindToRegistry
    public LocalBuckets localBuckets(@PropertyInject("gateway.local.root") String localRoot) {
        return new LocalBuckets(Path.of(localRoot));
    }

    @BindToRegistry
    public StorageProviders storageProviders() {
        return new StorageProviders();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        ResultPaths resultPaths = registry.findSingleByType(ResultPaths.class);
        BucketEndpoint gcsEndpoint = registry.lookupByNameAndType("gcsEndpoint", BucketEndpoint.class);
        BucketEndpoint azureEndpoint = registry.lookupByNameAndType("azureEndpoint", BucketEndpoint.class);
        resultPaths.warnIfBucketsCollide(gcsEndpoint);
        resultPaths.warnIfBucketsCollide(azureEndpoint);
        StorageProviders providers = registry.findSingleByType(StorageProviders.class);
        // Tests and embedders may bind their own clients first (e.g. an in-process fake). A provider no endpoint
        // uses gets a client that is never called, so its component never goes looking for credentials.
        if (registry.findSingleByType(Storage.class) == null) {
            Storage storage = CloudClients.unusedGoogleStorage();
            if ("gcs".equals(gcsEndpoint.provider())) {
                try {
                    storage = CloudClients.googleStorage(property(context, "gateway.gcs.credentials"),
                            property(context, "gateway.gcs.host"), property(context, "gateway.gcs.project-id"));
                } catch (CloudClients.MissingCredentials e) {
                    providers.markUnavailable("gcs", e.getMessage());
                }
            }
            registry.bind("googleStorage", storage);
        }
        if (registry.findSingleByType(BlobServiceClient.class) == null) {
            BlobServiceClient blobService = CloudClients.unusedAzureBlobService();
            if ("azure".equals(azureEndpoint.provider())) {
                try {
                    blobService = CloudClients.azureBlobService(property(context, "gateway.azure.connection-string"),
                            property(context, "gateway.azure.service-version"));
                } catch (CloudClients.MissingCredentials e) {
                    providers.markUnavailable("azure", e.getMessage());
                }
            }
            registry.bind("azureBlobService", blobService);
        }
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("");
    }
}
