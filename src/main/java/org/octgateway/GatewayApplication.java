package org.octgateway;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * Starts the gateway: Camel main with the routes of this package (Java DSL), the YAML routes (packaged in the jar,
 * overridden and extended by a {@code routes/} directory in the working directory, see {@link RouteFiles}) and the
 * settings of {@code application.properties}.
 */
public final class GatewayApplication {

    private GatewayApplication() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(GatewayApplication.class);
        // Defaults are packaged in the jar; an application.properties in the working directory overrides them
        // (of two locations defining a key, Camel takes the first).
        main.setPropertyPlaceholderLocations(
                "file:application.properties;optional=true,classpath:application.properties;optional=true");
        configure(main.configure());
        main.run(args);
    }

    /** What every start of the gateway adds to camel-main (the tests' camel-main too). */
    static void configure(MainConfigurationProperties configuration) {
        configuration.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                // before camel-main looks for route files (it does so while it configures)
                main.setRoutesCollector(new RouteFiles());
            }
        });
    }
}
