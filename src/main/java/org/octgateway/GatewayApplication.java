package org.octgateway;

import org.apache.camel.main.Main;

/**
 * Starts the gateway: Camel main with the routes of this package (Java DSL), the YAML routes under
 * {@code routes/} and the settings of {@code application.properties}.
 */
public final class GatewayApplication {

    private GatewayApplication() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(GatewayApplication.class);
        // Defaults are packaged in the jar; an application.properties in the working directory overrides them.
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties;optional=true,file:application.properties;optional=true");
        main.run(args);
    }
}
