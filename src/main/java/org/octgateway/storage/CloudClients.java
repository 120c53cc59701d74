package org.octgateway.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;

/** Builds the cloud SDK clients the storage components use, from the gateway's settings. */
public final class CloudClients {

    private CloudClients() {
    }

    /** A provider that cannot be built, with what the operator must set. */
    public static final class MissingCredentials extends Exception {
        public MissingCredentials(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * GCS from a service-account JSON file, else the emulator at {@code host} (no credentials), else
     * application default credentials.
     */
    public static Storage googleStorage(String credentialsFile, String host, String projectId) throws MissingCredentials {
        StorageOptions.Builder options = StorageOptions.newBuilder();
        if (!projectId.isBlank()) {
            options.setProjectId(projectId);
        }
        if (!host.isBlank()) {
            options.setHost(host);
        }
        try {
            if (!credentialsFile.isBlank()) {
                try (InputStream in = Files.newInputStream(Path.of(credentialsFile))) {
                    options.setCredentials(GoogleCredentials.fromStream(in));
                }
            } else if (!host.isBlank()) {
                options.setCredentials(NoCredentials.getInstance());
            } else {
                options.setCredentials(GoogleCredentials.getApplicationDefault());
            }
        } catch (IOException e) {
            throw new MissingCredentials(credentialsFile.isBlank()
                    ? "no GCS credentials (set gateway.gcs.credentials to a service-account JSON file, provide "
                      + "application default credentials, or set gateway.gcs.host to an emulator)"
                    : "the GCS credentials file gateway.gcs.credentials could not be read");
        }
        return options.build().getService();
    }

    /**
     * A client for a provider no endpoint uses: bound so the storage component never builds a default one
     * (which would look for credentials, and on a cloud VM probe its metadata server). It is never called.
     */
    public static Storage unusedGoogleStorage() {
        return StorageOptions.newBuilder().setProjectId("unused").setHost("http://unused.invalid")
                .setCredentials(NoCredentials.getInstance()).build().getService();
    }

    /** Like {@link #unusedGoogleStorage()}, for the Azure component. */
    public static BlobServiceClient unusedAzureBlobService() {
        return new BlobServiceClientBuilder().endpoint("http://unused.invalid").buildClient();
    }

    public static BlobServiceClient azureBlobService(String connectionString, String serviceVersion)
            throws MissingCredentials {
        if (connectionString.isBlank()) {
            throw new MissingCredentials("no Azure connection string (set gateway.azure.connection-string)");
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
