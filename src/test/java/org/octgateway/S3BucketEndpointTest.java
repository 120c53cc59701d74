package org.octgateway;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /bucket_invocations_s3 on the s3 provider (camel-aws2-s3) against S3Proxy, a real S3 API server started in-process
 * by this test; the gateway connects with an endpoint override and access keys, as to any S3-compatible store.
 */
class S3BucketEndpointTest extends BucketEndpointContract {

    private S3ProxyServer s3proxy;
    private S3Client s3;

    @Override
    String endpoint() {
        return "/bucket_invocations_s3";
    }

    @Override
    void providerProperties(Properties properties) {
        try {
            s3proxy = new S3ProxyServer();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(s3proxy.endpoint()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))).build();
        s3.createBucket(b -> b.bucket(INPUT));
        s3.createBucket(b -> b.bucket(OUTPUT));
        properties.setProperty("gateway.s3.backend", "s3");
        properties.setProperty("gateway.s3.endpoint", s3proxy.endpoint());
        properties.setProperty("gateway.s3.access-key", S3ProxyServer.ACCESS_KEY);
        properties.setProperty("gateway.s3.secret-key", S3ProxyServer.SECRET_KEY);
        // A bucket that does not exist, for the failed-write test: allowed, so the failure is the write's.
        properties.setProperty("gateway.s3.allowed-buckets", INPUT + "," + OUTPUT + ",no-such-bucket");
    }

    @AfterAll
    void stopS3Proxy() throws Exception {
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Test
    void aMissingInputBucketIs404() {
        assertMissingInputBucketIs404("no-such-bucket");
    }

    @Test
    void resultThatCannotBeWrittenBecomesAnErrorEnvelopeNamingWhere() {
        assertUnwritableResultIsAnErrorEnvelopeNaming("no-such-bucket", "NoSuchBucket");
    }

    @Test
    void theSecretKeyIsNotLoggedWhileAJobReadsAndWrites() {
        store().put(INPUT, "exam6/one.png", TestImages.png(61));
        try (CapturedLog log = new CapturedLog("")) {
            awaitEnvelope(hook(), accepted200(invoke("exam6/one.png", Map.of("Write-To-GCS", "true")))
                    .path("request_uuid").asText());

            assertFalse(log.text().isEmpty(), "the job was logged");
            assertFalse(log.text().contains(S3ProxyServer.SECRET_KEY), "the secret key appears in the log");
        }
    }

    @Override
    BucketStore store() {
        return new BucketStore() {
            @Override
            public void put(String bucket, String name, byte[] content) {
                s3.putObject(b -> b.bucket(bucket).key(name), RequestBody.fromBytes(content));
            }

            @Override
            public Optional<byte[]> get(String bucket, String name) {
                try {
                    return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(name)).asByteArray());
                } catch (NoSuchKeyException missing) {
                    return Optional.empty();
                }
            }

            @Override
            public void delete(String bucket, String name) {
                s3.deleteObject(b -> b.bucket(bucket).key(name));
            }

            @Override
            public void putFolderPlaceholder(String bucket, String folder) {
                put(bucket, folder, new byte[0]);
            }
        };
    }
}
