package org.octgateway;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.Converter;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway does not scan its jar for classes (GatewayApplication): every bean configuration class and every route
 * builder of the code is listed in application.properties, so adding one without listing it fails here instead of
 * silently missing from the running gateway. The test scans the compiled classes directory; the application never does.
 */
class ListedClassesTest {

    private static final List<Class<?>> CODE = compiledClasses();

    @Test
    void everyConfigurationClassIsListed() {
        assertEquals(classesThat(CamelConfiguration.class::isAssignableFrom), listed("camel.main.configurationClasses"));
    }

    @Test
    void everyRouteBuilderIsListed() {
        assertEquals(classesThat(RoutesBuilder.class::isAssignableFrom), listed("camel.main.routesBuilderClasses"));
    }

    /** What else camel-main's scan of the base package found: beans, @Configuration classes, type converters. */
    @Test
    void noClassReliesOnTheScansThatAreOff() {
        assertEquals(Set.of(), classesThat(c -> c.isAnnotationPresent(BindToRegistry.class)
                || c.isAnnotationPresent(Configuration.class) || c.isAnnotationPresent(Converter.class)));
    }

    private static Set<String> classesThat(Predicate<Class<?>> test) {
        return CODE.stream().filter(c -> !c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && !c.isAnonymousClass())
                .filter(test).map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> listed(String key) {
        Properties settings = new Properties();
        try (Reader file = Files.newBufferedReader(Path.of("application.properties"))) {
            settings.load(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String value = settings.getProperty(key, "");
        assertTrue(!value.contains(" "), "camel-main splits the list at commas only: no spaces in " + key);
        return Arrays.stream(value.split(",")).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every class compiled from src/main/java (the directory GatewayApplication was loaded from). */
    private static List<Class<?>> compiledClasses() {
        try {
            Path classes = Path.of(GatewayApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.walk(classes)) {
                List<Class<?>> found = files.map(classes::relativize).map(Path::toString)
                        .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class"))
                        .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                        .map(ListedClassesTest::load).toList();
                assertTrue(found.size() > 100, "the compiled classes are where this test looks: " + classes);
                return found;
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ListedClassesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
