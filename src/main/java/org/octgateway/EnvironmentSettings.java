package org.octgateway;

import java.util.Properties;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Ordered;
import org.apache.camel.spi.LoadablePropertiesSource;
import org.apache.camel.util.IOHelper;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * Every setting of application.properties, as the environment sets it: {@code camel.server.port} from
 * {@code CAMEL_SERVER_PORT}, {@code gateway.webhook.allowed-hosts} from {@code GATEWAY_WEBHOOK_ALLOWED_HOSTS} (upper case,
 * {@code .} and {@code -} become {@code _}; a camelCase key also answers to its dashed form, CAMEL_SERVER_MAX_BODY_SIZE).
 * <p>
 * Why: the gateway's settings have two readers. Placeholders and {@code @PropertyInject} ask Camel's properties
 * component, which looks up the environment for every key. camel-main's configuration of {@code camel.*} groups (the
 * HTTP servers among them) loads the settings files and then scans the environment itself, skipping every variable
 * ending in {@code _PORT} or holding {@code _PORT_} (it takes them for Kubernetes service links). So
 * {@code CAMEL_SERVER_PORT} moved the routes to the new port while the server stayed on the file's: startup failed.
 * This source, ahead of the settings files, gives both readers the environment's value of each key the files define.
 * With {@code camel.component.properties.environmentVariableMode=1} (application.properties) placeholders take the
 * environment through it too, so both readers rank a setting alike: {@code -D}, then the environment, then the files.
 * <p>
 * Camel's properties component finds it through {@code META-INF/services/org/apache/camel/properties-source-factory},
 * for every way the gateway starts (the jar, the tests' camel-main).
 */
public final class EnvironmentSettings implements LoadablePropertiesSource, CamelContextAware, Ordered {

    /** Where camel-main's configuration summary says these values come from, as it does for its own scan. */
    private static final String LOCATION = "ENV";

    private CamelContext camelContext;

    @Override
    public String getName() {
        return "environment-settings";
    }

    /** Before the settings files (order 100 and up): the environment overrides them. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST + 1;
    }

    @Override
    public String getProperty(String key) {
        return IOHelper.lookupEnvironmentVariable(key);
    }

    @Override
    public Properties loadProperties() {
        return loadProperties(key -> true);
    }

    /** The keys the settings files define, for which the environment has a value, with that value. */
    @Override
    public Properties loadProperties(Predicate<String> filter) {
        OrderedLocationProperties fromEnvironment = new OrderedLocationProperties();
        camelContext.getPropertiesComponent().getPropertiesSources().stream()
                .filter(source -> source != this && source instanceof LoadablePropertiesSource)
                .map(source -> ((LoadablePropertiesSource) source).loadProperties(filter))
                .flatMap(settings -> settings.stringPropertyNames().stream())
                .distinct()
                .forEach(key -> {
                    String value = IOHelper.lookupEnvironmentVariable(key);
                    if (value != null) {
                        fromEnvironment.put(LOCATION, key, value);
                    }
                });
        return fromEnvironment;
    }

    @Override
    public void reloadProperties(String location) {
        // the environment of a running process does not change
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
