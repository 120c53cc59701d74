package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;

/**
 * /bucket_invocations on the gcs provider (camel-google-storage) against a GCS JSON API emulator over
 * real HTTP ({@link GcsJsonApiEmulator}): the gateway builds its own Storage client from gateway.gcs.host,
 * with no credentials, as it does in production with an emulator; nothing is bound for it.
 */
class GcsEmulatorBucketEndpointTest extends BucketEndpointContract {

    private GcsJsonApiEmulator emulator;

    @Override
    String endpoint() {
        return "/bucket_invocations";
    }

    /** Called during construction: the emulator starts here, before the gateway reads gateway.gcs.host. */
    @Override
    void providerProperties(Properties properties) {
        try {
            // Two objects a page: the listings of the contract take several pages, as large buckets do.
            emulator = new GcsJsonApiEmulator(2);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the GCS emulator", e);
        }
        emulator.createBucket(INPUT);
        emulator.createBucket(OUTPUT);
        properties.setProperty("gateway.gcs.backend", "gcs");
        properties.setProperty("gateway.gcs.host", emulator.url());
        properties.setProperty("gateway.gcs.project-id", "test-project");
    }

    @AfterAll
    void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Override
    BucketStore store() {
        return new BucketStore() {
            @Override
            public void put(String bucket, String name, byte[] content) {
                emulator.put(bucket, name, content, name.endsWith(".png") ? "image/png" : "application/octet-stream");
            }

            @Override
            public Optional<byte[]> get(String bucket, String name) {
                return emulator.get(bucket, name);
            }

            @Override
            public void delete(String bucket, String name) {
                emulator.delete(bucket, name);
            }

            @Override
            public void putFolderPlaceholder(String bucket, String folder) {
                emulator.put(bucket, folder, new byte[0], "application/x-directory");
            }
        };
    }
}
