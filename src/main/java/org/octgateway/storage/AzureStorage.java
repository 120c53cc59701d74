package org.octgateway.storage;

import java.util.List;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * The Java half of the {@code azure} provider (routes/storage-azure.yaml, camel-azure-storage-blob): the
 * {@link BlobServiceClient} the component autowires, built from gateway.azure.connection-string (the component has
 * no connection-string option of its own) when the component is first used.
 */
public class AzureStorage implements CamelConfiguration, StorageProvider {

    @PropertyInject("gateway.azure.connection-string")
    String connectionString;
    @PropertyInject("gateway.azure.service-version")
    String serviceVersion;

    private final ProviderClient<BlobServiceClient> client = new ProviderClient<>(name());

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public void configure(CamelContext context) {
        client.bind(context, BlobServiceClient.class, "azureBlobService", this::build);
        context.getRegistry().bind("azureStorage", this);
    }

    @Override
    public String missingSetting() {
        return client.missingSetting();
    }

    /** The listing as plain blob names (virtual directory entries left out). */
    public List<String> names(List<BlobItem> listing) {
        return listing.stream().filter(item -> !Boolean.TRUE.equals(item.isPrefix())).map(BlobItem::getName).toList();
    }

    /** The component takes a blob's content type only through a BlobHttpHeaders header value. */
    public BlobHttpHeaders jsonHeaders() {
        return new BlobHttpHeaders().setContentType("application/json");
    }

    private BlobServiceClient build() throws ProviderClient.MissingSetting {
        if (connectionString.isBlank()) {
            throw new ProviderClient.MissingSetting("no Azure connection string (set gateway.azure.connection-string)");
        }
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().connectionString(connectionString);
        if (!serviceVersion.isBlank()) {
            builder.serviceVersion(serviceVersion(serviceVersion));
        }
        return builder.buildClient();
    }

    private static BlobServiceVersion serviceVersion(String version) {
        for (BlobServiceVersion candidate : BlobServiceVersion.values()) {
            if (candidate.getVersion().equals(version)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("gateway.azure.service-version: unknown version " + version);
    }
}
