package org.octgateway;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * Starts the gateway: Camel main with the Java DSL route builders and bean configuration classes listed in
 * {@code application.properties} ({@code camel.main.routesBuilderClasses}, {@code camel.main.configurationClasses}),
 * the YAML routes (packaged in the jar, overridden and extended by a {@code routes/} directory in the working
 * directory, see {@link RouteFiles}) and the settings of {@code application.properties}.
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
        try {
            main.run(args);
        } catch (Throwable refused) {
            // The embedded broker and the state store begin starting on threads of their own before Camel builds the
            // routes (EmbeddedBroker, StateStoreStart: what overlaps saves ~1 s of a cold start). A start refused while
            // building them (a route that cannot be created) stops no service, and the broker's threads would keep the
            // process alive: end it, reporting the failure as an uncaught exception would.
            Thread.currentThread().getThreadGroup().uncaughtException(Thread.currentThread(), refused);
            System.exit(1);
        }
    }

    /** What every start of the gateway adds to camel-main (the tests' camel-main too). */
    static void configure(MainConfigurationProperties configuration) {
        // No classpath scanning: camel-main's scans of the base package (configuration classes, route builders, beans,
        // type converters) each read and inflated every entry of the 127 MB shaded jar, about half of the cold start.
        // The classes are listed in application.properties instead (ListedClassesTest keeps the lists complete).
        // Set here, not in the file: camel-main applies the base package of the main class before it reads the file.
        configuration.setBasePackageScanEnabled(false);
        configuration.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                // before camel-main looks for route files (it does so while it configures)
                main.setRoutesCollector(new RouteFiles());
            }
        });
    }
}
