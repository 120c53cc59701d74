package org.octgateway.tools.hawtio;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.DefaultHandler;

/**
 * Runs the hawtio web console (io.hawt:hawtio-default war) on an embedded Jetty 12 (ee10), for
 * watching a gateway through its Jolokia endpoint (http://localhost:9876/observe/jolokia).
 *
 * <p>Settings, as system properties (or environment variables where named):
 * <ul>
 *   <li>{@code hawtio.port} / {@code HAWTIO_PORT}: HTTP port, default 8090;</li>
 *   <li>{@code hawtio.host} / {@code HAWTIO_HOST}: bind address, default 127.0.0.1 (no login: keep it local);</li>
 *   <li>{@code hawtio.war}: the war, default {@code hawtio.war} beside the launcher jar;</li>
 *   <li>{@code hawtio.authenticationEnabled} (default false here) and {@code hawtio.proxyAllowlist}
 *       (default localhost,127.0.0.1): hawtio's own settings.</li>
 * </ul>
 */
public final class HawtioLauncher {

    private HawtioLauncher() {
    }

    public static void main(String[] args) throws Exception {
        // hawtio reads these from system properties; defaults for a local, login-free console
        // that may proxy Jolokia requests to gateways on this machine only.
        defaultProperty("hawtio.authenticationEnabled", "false");
        defaultProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1");

        int port = Integer.parseInt(setting("hawtio.port", "HAWTIO_PORT", "8090"));
        String host = setting("hawtio.host", "HAWTIO_HOST", "127.0.0.1");
        Path war = Path.of(setting("hawtio.war", "HAWTIO_WAR", defaultWar().toString())).toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            System.err.println("hawtio war not found at " + war + " (build tools/hawtio first: ./run.sh does it)");
            System.exit(2);
        }

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(war.toString());
        hawtio.setExtractWAR(true);
        hawtio.setParentLoaderPriority(false);
        hawtio.addConfiguration(new AnnotationConfiguration());
        hawtio.setThrowUnavailableOnStartupException(true);

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(hawtio);
        server.setHandler(contexts);
        // "/" and unknown paths: Jetty's default handler (lists the /hawtio context).
        server.setDefaultHandler(new DefaultHandler());
        server.setStopAtShutdown(true);
        server.start();

        int actualPort = connector.getLocalPort();
        String shownHost = "127.0.0.1".equals(host) || "0.0.0.0".equals(host) ? "localhost" : host;
        System.out.println();
        System.out.println("hawtio is running: open http://" + shownHost + ":" + actualPort + "/hawtio/");
        System.out.println("Connect to the gateway: Connect > Remote > Add connection, scheme http, host localhost,");
        System.out.println("port 9876, path /observe/jolokia   (i.e. http://localhost:9876/observe/jolokia)");
        System.out.println("Stop with Ctrl-C.");
        System.out.println("HAWTIO_READY port=" + actualPort);
        server.join();
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String setting(String property, String envVar, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(envVar);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** {@code hawtio.war} beside the launcher jar (target/ after the build). */
    private static Path defaultWar() throws URISyntaxException {
        // target/hawtio-launcher.jar, or target/classes when run from an IDE: both have target/ as parent
        Path codeSource = Path.of(HawtioLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return codeSource.getParent().resolve("hawtio.war");
    }
}
