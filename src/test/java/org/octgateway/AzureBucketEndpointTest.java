package org.octgateway;

import java.util.Optional;
import java.util.Properties;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /bucket_invocations_azure_uae on the azure provider (camel-azure-storage-blob) against Azurite,
 * started by this test from the npm package the build installs; the gateway connects with a
 * connection string, as in production.
 */
class AzureBucketEndpointTest extends BucketEndpointContract {

    private AzuriteServer azurite;
    private BlobServiceClient blobs;

    @Override
    String endpoint() {
        return "/bucket_invocations_azure_uae";
    }

    @Override
    void providerProperties(Properties properties) {
        try {
            azurite = new AzuriteServer();
        } catch (Exception e) {
            throw new IllegalStateException("could not start Azurite", e);
        }
        blobs = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                .serviceVersion(BlobServiceVersion.V2025_11_05).buildClient();
        blobs.createBlobContainer(INPUT);
        blobs.createBlobContainer(OUTPUT);
        properties.setProperty("gateway.azure.backend", "azure");
        properties.setProperty("gateway.azure.connection-string", azurite.connectionString());
        // A container that does not exist, for the failed-write test: allowed, so the failure is the write's.
        properties.setProperty("gateway.azure.allowed-containers", INPUT + "," + OUTPUT + ",no-such-container");
    }

    @AfterAll
    void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void aMissingInputContainerIs404() {
        assertMissingInputBucketIs404("no-such-container");
    }

    @Test
    void resultThatCannotBeWrittenBecomesAnErrorEnvelopeNamingWhere() {
        assertUnwritableResultIsAnErrorEnvelopeNaming("no-such-container", "ContainerNotFound");
    }

    @Override
    BucketStore store() {
        return new BucketStore() {
            @Override
            public void put(String bucket, String name, byte[] content) {
                container(bucket).getBlobClient(name).upload(BinaryData.fromBytes(content), true);
            }

            @Override
            public Optional<byte[]> get(String bucket, String name) {
                var blob = container(bucket).getBlobClient(name);
                return blob.exists() ? Optional.of(blob.downloadContent().toBytes()) : Optional.empty();
            }

            @Override
            public void delete(String bucket, String name) {
                container(bucket).getBlobClient(name).delete();
            }

            @Override
            public void putFolderPlaceholder(String bucket, String folder) {
                put(bucket, folder, new byte[0]);
            }
        };
    }

    private BlobContainerClient container(String name) {
        return blobs.getBlobContainerClient(name);
    }
}
