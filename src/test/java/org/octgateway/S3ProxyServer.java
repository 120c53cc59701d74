package org.octgateway;

import java.net.URI;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy, a real S3 API server (signature v2/v4 authentication, path-style buckets), in-process on a free port
 * with a transient (in-memory) blob store.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String ACCESS_KEY = "gateway-test";
    static final String SECRET_KEY = "gateway-test-secret-0123456789";

    private final S3Proxy proxy;
    private final BlobStoreContext blobStore;
    private final String endpoint;

    S3ProxyServer() throws Exception {
        blobStore = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        endpoint = "http://127.0.0.1:" + TestPorts.free();
        proxy = S3Proxy.builder().blobStore(blobStore.getBlobStore()).endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobStore.close();
    }
}
