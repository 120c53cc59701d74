package org.octgateway.storage;

import java.nio.file.Path;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The Java half of the {@code local} provider (routes/storage-local.yaml): its folders. Always available. */
public class LocalStorage implements CamelConfiguration {

    @BindToRegistry
    public LocalBuckets localBuckets(@PropertyInject("gateway.local.root") String root) {
        return new LocalBuckets(Path.of(root));
    }
}
