package org.octgateway;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.fasterxml.jackson.databind.JsonNode;
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
        var answer = invoke("exam/", Map.of("Input-Bucket-Name", "no-such-container"));

        assertEquals(404, answer.statusCode(), answer.body());
        assertEquals("not_found", json(answer.body()).path("error").asText(), answer.body());
    }

    @Test
    void resultThatCannotBeWrittenBecomesAnErrorEnvelopeNamingWhere() {
        store().put(INPUT, "exam5/one.png", TestImages.png(51));

        JsonNode answer = accepted200(invoke("exam5/one.png",
                Map.of("Write-To-GCS", "true", "Output-Bucket-Name", "no-such-container")));

        JsonNode envelope = awaitEnvelope(hook(), answer.path("request_uuid").asText());
        assertEquals("error", envelope.path("status").asText(), envelope.toString());
        assertTrue(envelope.path("result_path").isNull(), "nothing was written, so nothing is announced");
        String error = envelope.path("error").asText();
        assertTrue(error.contains("no-such-container") && error.contains("ContainerNotFound"), error);
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
