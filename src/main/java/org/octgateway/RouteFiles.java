package org.octgateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.DefaultRoutesCollector;
import org.apache.camel.spi.Resource;
import org.apache.camel.util.AntPathMatcher;
import org.apache.camel.util.FileUtil;

/**
 * The YAML route files the gateway runs. {@code camel.main.routesIncludePattern} lists layers, lowest first: the
 * routes packaged in the jar ({@code classpath:routes/*.yaml}), then the working directory's {@code routes/}
 * ({@code file:routes/*.yaml}). A file of a later layer replaces the file of the same name of an earlier one, a new
 * name adds its routes, and a layer whose directory does not exist is skipped: the jar runs from any directory with
 * its packaged routes, and an engineer's {@code routes/} changes only what it holds. Startup logs where each file
 * came from.
 * <p>
 * (camel-main alone loads every pattern's files side by side, so a copy of a packaged file would define its routes
 * twice, and fails on a {@code file:} pattern whose directory is missing. It also finds a {@code classpath:} pattern's
 * files by reading every entry of the jar; {@link PackagedFiles} reads only the jar's directory.)
 */
final class RouteFiles extends DefaultRoutesCollector {

    /** One route file: its name, its layer, where it is read from, and the earlier layer's file it replaces (or null). */
    record RouteFile(String name, String layer, Resource resource, RouteFile replaced) {
    }

    /** The files that run, by name, and the layers skipped because their directory is not there. */
    record Layers(List<RouteFile> files, List<String> missing) {
    }

    @Override
    public Collection<Resource> findRouteResourcesFromDirectory(CamelContext context, String excludePattern,
            String includePattern) {
        return layered(context, excludePattern, includePattern).files().stream().map(RouteFile::resource).toList();
    }

    @Override
    public Collection<RoutesBuilder> collectRoutesFromDirectory(CamelContext context, String excludePattern,
            String includePattern) {
        Layers layers = layered(context, excludePattern, includePattern);
        for (String layer : layers.missing()) {
            log.info("Route files {}: no such directory in {}, skipped", layer, Path.of("").toAbsolutePath());
        }
        for (RouteFile file : layers.files()) {
            if (file.replaced() == null) {
                log.info("Route file {} from {}: {}", file.name(), file.layer(), file.resource().getLocation());
            } else {
                log.info("Route file {} from {}: {} (replaces the one from {})", file.name(), file.layer(),
                        file.resource().getLocation(), file.replaced().layer());
            }
        }
        return super.collectRoutesFromDirectory(context, excludePattern, includePattern);
    }

    private Layers layered(CamelContext context, String excludePattern, String includePattern) {
        Map<String, RouteFile> byName = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        if (includePattern == null || "false".equals(includePattern)) {
            return new Layers(List.of(), missing);
        }
        for (String layer : includePattern.split(",")) {
            layer = layer.trim();
            if (isMissingDirectory(layer)) {
                missing.add(layer);
                continue;
            }
            for (Resource resource : resources(context, excludePattern, layer)) {
                String name = FileUtil.stripPath(resource.getLocation());
                byName.put(name, new RouteFile(name, layer, resource, byName.get(name)));
            }
        }
        return new Layers(new ArrayList<>(byName.values()), missing);
    }

    /** The files of one layer: a packaged layer ({@code classpath:dir/*.yaml}) from {@link PackagedFiles}. */
    private Collection<Resource> resources(CamelContext context, String excludePattern, String layer) {
        if (!PackagedFiles.isPackagedPattern(layer)) {
            return super.findRouteResourcesFromDirectory(context, excludePattern, layer);
        }
        String[] excludes = excludePattern == null ? null : excludePattern.split(",");
        return PackagedFiles.matching(context, classLoader(context), layer).stream()
                .filter(file -> excludes == null || !AntPathMatcher.INSTANCE.anyMatch(excludes, file.getLocation()))
                .toList();
    }

    private static ClassLoader classLoader(CamelContext context) {
        ClassLoader loader = context.getApplicationContextClassLoader();
        return loader != null ? loader : RouteFiles.class.getClassLoader();
    }

    /** A {@code file:} layer whose directory (or file) is not there. */
    private static boolean isMissingDirectory(String layer) {
        if (!layer.startsWith("file:")) {
            return false;
        }
        String path = layer.substring("file:".length());
        String root = AntPathMatcher.INSTANCE.isPattern(path) ? AntPathMatcher.INSTANCE.determineRootDir(path) : path;
        return !Files.exists(Path.of(root.isEmpty() ? "." : root));
    }
}
