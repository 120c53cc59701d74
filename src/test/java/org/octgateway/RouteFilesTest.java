package org.octgateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which route files run: the packaged ones (the build copies routes/*.yaml to the classpath), each replaced by a file
 * of the same name in a routes/ directory and joined by its files of new names; without that directory, the packaged
 * ones alone.
 */
class RouteFilesTest {

    private static final String PACKAGED = "classpath:routes/*.yaml";

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void closeContext() throws IOException {
        context.close();
    }

    @Test
    void aFileOfTheSameNameReplacesThePackagedOneAndANewNameAdds(@TempDir Path dir) throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("delivery.yaml"), "- route: {id: engineers-delivery, from: {uri: 'direct:a'}}\n");
        Files.writeString(routes.resolve("extra.yaml"), "- route: {id: engineers-extra, from: {uri: 'direct:b'}}\n");
        Files.writeString(routes.resolve("notes.txt"), "not a route file");

        Map<String, String> files = runningFiles(PACKAGED + ",file:" + routes + "/*.yaml");

        assertEquals("file:" + routes.resolve("delivery.yaml"), files.get("delivery.yaml"), files.toString());
        assertEquals("file:" + routes.resolve("extra.yaml"), files.get("extra.yaml"), files.toString());
        assertEquals(packagedNames().size() + 1, files.size(), "each packaged name once, plus extra.yaml: " + files);
        String restApi = files.get("rest-api.yaml");
        assertTrue(restApi.endsWith("routes/rest-api.yaml") && !restApi.startsWith("file:" + routes),
                "the files routes/ does not have stay the packaged ones: " + files);
    }

    @Test
    void withoutTheDirectoryThePackagedFilesRun(@TempDir Path dir) {
        Map<String, String> files = runningFiles(PACKAGED + ",file:" + dir.resolve("routes") + "/*.yaml");

        assertEquals(packagedNames(), files.keySet());
        assertTrue(files.values().stream().noneMatch(location -> location.startsWith("file:" + dir)), files.toString());
    }

    /** Listed from the jar's directory of names (PackagedFiles), not by reading its entries as Camel's scan does. */
    @Test
    void thePackagedLayerIsTheJarsFilesDirectlyInThePatternsFolder(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("gateway.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("routes/", "routes/b.yaml", "routes/a.yaml", "routes/notes.txt",
                    "routes/openapi/api.yaml", "other/c.yaml")) {
                out.putNextEntry(new JarEntry(entry));
                out.write(entry.endsWith("/") ? new byte[0] : "- route: {}\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<Resource> files = PackagedFiles.matching(context, loader, PACKAGED);

            assertEquals(List.of("file:" + jar + "!/routes/a.yaml", "file:" + jar + "!/routes/b.yaml"),
                    files.stream().map(Resource::getLocation).toList(), "as Camel's scan names them");
            try (InputStream in = files.get(0).getInputStream()) {
                assertEquals("- route: {}\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** File name → location of each route file RouteFiles picks for the include pattern. */
    private Map<String, String> runningFiles(String includePattern) {
        Map<String, String> files = new TreeMap<>();
        for (Resource resource : new RouteFiles().findRouteResourcesFromDirectory(context, null, includePattern)) {
            String previous = files.put(FileUtil.stripPath(resource.getLocation()), resource.getLocation());
            assertNull(previous, "one file per name");
        }
        return files;
    }

    /** The names of the repository's route files, which the build packages. */
    private static Set<String> packagedNames() {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
