package org.octgateway.operations;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Who can reach the management port (health, metrics, Jolokia), from Camel's own settings: the address it
 * listens on ({@code camel.management.host}) and its authentication ({@code camel.management.authenticationEnabled}
 * with {@code basicPropertiesFile} or a JWT key store). On loopback only this machine reaches it; anywhere else it
 * must ask for credentials, or the gateway refuses to start ({@link #requireCredentialsOffLoopback()}).
 *
 * @param host the listening address; Camel's own default (every interface) when the setting is absent
 */
public record ManagementExposure(boolean enabled, String host, boolean authenticationEnabled,
                                 String basicPropertiesFile, String jwtKeystoreType, String jwtKeystorePath,
                                 boolean sharesBusinessPort, String businessHost) {

    /** Camel's defaults when a setting is absent: every interface, and port 8080 for both servers. */
    private static final String CAMEL_DEFAULT_HOST = "0.0.0.0";
    private static final String CAMEL_DEFAULT_PORT = "8080";

    /** Reads the settings as camel-main does (application.properties, overridden by env vars and -D). */
    public static ManagementExposure of(PropertiesComponent properties) {
        return new ManagementExposure(
                Boolean.parseBoolean(properties.resolveProperty("camel.management.enabled").orElse("false")),
                properties.resolveProperty("camel.management.host").orElse(CAMEL_DEFAULT_HOST).trim(),
                Boolean.parseBoolean(properties.resolveProperty("camel.management.authenticationEnabled").orElse("false")),
                properties.resolveProperty("camel.management.basicPropertiesFile").orElse("").trim(),
                properties.resolveProperty("camel.management.jwtKeystoreType").orElse("").trim(),
                properties.resolveProperty("camel.management.jwtKeystorePath").orElse("").trim(),
                Boolean.parseBoolean(properties.resolveProperty("camel.server.enabled").orElse("false"))
                        && properties.resolveProperty("camel.server.port").orElse(CAMEL_DEFAULT_PORT).trim().equals(
                                properties.resolveProperty("camel.management.port").orElse(CAMEL_DEFAULT_PORT).trim()),
                properties.resolveProperty("camel.server.host").orElse(CAMEL_DEFAULT_HOST).trim());
    }

    /**
     * Refuses a management port reachable from other machines without credentials: a hospital network must not
     * get the gateway's routes, queues and JVM by knowing its address.
     *
     * @throws IllegalStateException naming the settings to change
     */
    public void requireCredentialsOffLoopback() {
        if (enabled && sharesBusinessPort && !isLoopback(businessHost)) {
            // Camel then serves health, metrics and Jolokia from the business server, without the management settings
            throw new IllegalStateException("The management endpoints (health, metrics, Jolokia) would be served on the "
                    + "business port (camel.management.port equals camel.server.port), which listens on camel.server.host="
                    + businessHost + " without the management port's address and credentials. Give camel.management.port "
                    + "a port of its own.");
        }
        if (!enabled || isLoopback(host)) {
            return;
        }
        String missing = missingCredentials();
        if (missing != null) {
            throw new IllegalStateException("The management port (health, metrics, Jolokia) would listen on "
                    + "camel.management.host=" + host + ", reachable from other machines, but " + missing
                    + ". Either keep it on this machine (camel.management.host=127.0.0.1), or require credentials: "
                    + "camel.management.authenticationEnabled=true and camel.management.basicPropertiesFile=<a file with "
                    + "lines 'user.NAME = PASSWORD'> (or camel.management.jwtKeystoreType/-Path/-Password for JWT).");
        }
    }

    /**
     * Why the credentials are not usable, or null when they are. Mirrors Camel 4.17's choice: the basic users file
     * when set, else JWT when a key store type is set; with neither, Camel silently authenticates nothing.
     */
    private String missingCredentials() {
        if (!authenticationEnabled) {
            return "camel.management.authenticationEnabled is not true";
        }
        if (basicPropertiesFile.isEmpty()) {
            if (jwtKeystoreType.isEmpty()) {
                return "neither camel.management.basicPropertiesFile nor camel.management.jwtKeystoreType is set";
            }
            return !jwtKeystorePath.isEmpty() && Files.isRegularFile(Path.of(jwtKeystorePath)) ? null
                    : "camel.management.jwtKeystorePath (" + jwtKeystorePath + ") cannot be read";
        }
        Properties users = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(basicPropertiesFile))) {
            users.load(reader);
        } catch (IOException | RuntimeException e) {
            return "camel.management.basicPropertiesFile (" + basicPropertiesFile + ") cannot be read";
        }
        boolean anyUser = users.stringPropertyNames().stream()
                .anyMatch(key -> key.startsWith("user.") && !users.getProperty(key).split(",", 2)[0].isBlank());
        return anyUser ? null : "camel.management.basicPropertiesFile (" + basicPropertiesFile
                + ") has no 'user.NAME = PASSWORD' line";
    }

    /**
     * Whether only this machine can connect to {@code host}: "localhost" or a loopback address literal. Any other
     * name counts as reachable from elsewhere (it is not looked up: the answer must not depend on DNS).
     */
    public static boolean isLoopback(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(literal)) {
            return true;
        }
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress(); // an address literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
