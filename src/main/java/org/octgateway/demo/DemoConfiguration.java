package org.octgateway.demo;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The demo peers' beans (their routes run only with gateway.demo.enabled=true). */
public class DemoConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ImageFacts demoImageFacts() {
        return new ImageFacts(new ObjectMapper());
    }

    @BindToRegistry
    public DemoWebhookSink demoWebhookSink(@PropertyInject("gateway.data-dir") String dataDir) {
        return new DemoWebhookSink(Path.of(dataDir, "demo-webhook"), new ObjectMapper());
    }
}
