package org.octgateway.storage;

import java.net.URI;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Header;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Java half of the {@code s3} provider (routes/storage-s3.yaml, camel-aws2-s3): the {@link S3Client} the
 * component autowires, for Amazon S3 or an S3-compatible store (gateway.s3.endpoint, path-style addressing).
 * Credentials: gateway.s3.access-key / secret-key, else the AWS default chain (environment, profile, container or
 * instance role), which is asked only when the endpoint is called. The secret key goes into the SDK's credentials
 * object only (whose toString masks it): it is never logged nor put in an endpoint URI.
 */
public class S3Storage implements CamelConfiguration, StorageProvider {

    @PropertyInject("gateway.s3.region")
    String region;
    @PropertyInject("gateway.s3.endpoint")
    String endpoint;
    @PropertyInject("gateway.s3.access-key")
    String accessKey;
    @PropertyInject("gateway.s3.secret-key")
    String secretKey;

    private final ProviderClient<S3Client> client = new ProviderClient<>(name());
    private boolean chainHasCredentials;

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void configure(CamelContext context) {
        client.bind(context, S3Client.class, "s3Client", this::build);
        context.getRegistry().bind("s3Storage", this);
    }

    /** Asks the default chain (once it found credentials, not again) only when the keys are not set. */
    @Override
    public synchronized String missingSetting() {
        if (!accessKey.isBlank() && !secretKey.isBlank() || chainHasCredentials) {
            return null;
        }
        try {
            DefaultCredentialsProvider.builder().build().resolveCredentials();
            chainHasCredentials = true;
            return null;
        } catch (SdkClientException none) {
            return "no AWS credentials (set gateway.s3.access-key and gateway.s3.secret-key, or provide credentials "
                    + "through the AWS default chain)";
        }
    }

    /**
     * Every object name under the prefix, all pages: camel-aws2-s3's listObjects answers only the first page
     * (at most 1,000 keys), and a folder may hold up to gateway.bucket.max-images-per-request images.
     */
    public List<String> list(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.PREFIX) String prefix) {
        return client.get().listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private S3Client build() {
        // Checksums only where S3 requires them (the SDK's behaviour before 2.30): S3-compatible stores do not all
        // accept the newer default of a CRC trailer on every upload.
        var builder = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!endpoint.isBlank()) {
            // S3-compatible stores (MinIO, Ceph, S3Proxy) serve buckets as paths, not as host names
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    /** The keys when set; otherwise the default chain, which looks for credentials only when a request is signed. */
    private AwsCredentialsProvider credentials() {
        if (!accessKey.isBlank() && !secretKey.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
