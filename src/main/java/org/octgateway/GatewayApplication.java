package org.octgateway;

import java.security.KeyStore;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

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

    /** The JVM's default trust anchors, read once at startup (see {@link #preloadTrustStore}); held so they stay cached. */
    private static volatile BackgroundStart<TrustManager[]> trustManagers;

    private GatewayApplication() {
    }

    /**
     * Vert.x copies class-path files it serves into a {@code vertx-cache-<uuid>} directory under java.io.tmpdir, made
     * at its start and removed only by a clean stop: every gateway killed left one behind. The gateway serves no file
     * through Vert.x, so it resolves none from the class path, and no such directory is made (unless the JVM's -D says
     * otherwise).
     */
    private static final String VERTX_CLASS_PATH_FILES_OFF = "vertx.disableFileCPResolving";

    public static void main(String... args) throws Exception {
        if (System.getProperty(VERTX_CLASS_PATH_FILES_OFF) == null) {
            System.setProperty(VERTX_CLASS_PATH_FILES_OFF, "true");
        }
        preloadTrustStore();
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

    /**
     * Reads the JVM's trust store (~140 certificates parsed) on a thread of its own while camel-main starts: each HTTP
     * component's first endpoint (the webhook and inference calls) builds a TLS context from it while the routes are
     * built, 0.2-0.3 s of the main thread on a cold start. The JDK caches the parsed certificates while someone holds
     * them (a weak reference), so the main thread then finds them read (or waits for this read to end).
     */
    private static void preloadTrustStore() {
        // a store that cannot be read: the HTTP components read it again themselves, and report what is wrong with it
        trustManagers = BackgroundStart.begin("trust-store-preload", () -> {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        });
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
