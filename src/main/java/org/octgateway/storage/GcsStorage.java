package org.octgateway.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * The Java half of the {@code gcs} provider (routes/storage-gcs.yaml, camel-google-storage): the {@link Storage}
 * client the component autowires, built from gateway.gcs.credentials (a service-account JSON file), else
 * gateway.gcs.host (an emulator, no credentials), else application default credentials.
 */
public class GcsStorage implements CamelConfiguration, StorageProvider {

    @PropertyInject("gateway.gcs.credentials")
    String credentialsFile;
    @PropertyInject("gateway.gcs.host")
    String host;
    @PropertyInject("gateway.gcs.project-id")
    String projectId;

    private final ProviderClient<Storage> client = new ProviderClient<>(name());

    @Override
    public String name() {
        return "gcs";
    }

    @Override
    public void configure(CamelContext context) {
        client.bind(context, Storage.class, "googleStorage", this::build);
        context.getRegistry().bind("gcsStorage", this);
    }

    @Override
    public String missingSetting() {
        return client.missingSetting();
    }

    /** The listing as plain object names ({@code folder/} placeholders included; the shared code skips them). */
    public List<String> names(List<Blob> listing) {
        return listing.stream().map(Blob::getName).toList();
    }

    private Storage build() throws ProviderClient.MissingSetting {
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
            throw new ProviderClient.MissingSetting(credentialsFile.isBlank()
                    ? "no GCS credentials (set gateway.gcs.credentials to a service-account JSON file, provide "
                      + "application default credentials, or set gateway.gcs.host to an emulator)"
                    : "the GCS credentials file gateway.gcs.credentials could not be read");
        }
        return options.build().getService();
    }
}
