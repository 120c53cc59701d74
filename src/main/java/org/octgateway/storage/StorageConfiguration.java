package org.octgateway.storage;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * What every bucket endpoint and provider shares. The endpoints themselves are routes/bucket-endpoints.yaml; each
 * provider's class (a {@link StorageProvider}) binds its own client.
 */
public class StorageConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ResultPaths resultPaths(@PropertyInject("gateway.result-path-template") String template) {
        return new ResultPaths(template);
    }

    @BindToRegistry(lazy = true)
    public BucketEndpoints bucketEndpoints(ResultPaths resultPaths) {
        return new BucketEndpoints(resultPaths);
    }

    @BindToRegistry
    public StorageProviders storageProviders() {
        return new StorageProviders();
    }
}
