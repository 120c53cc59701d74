package org.octgateway;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.scan.PackageScanJarResource;
import org.apache.camel.util.AntPathMatcher;

/**
 * The files a {@code classpath:} wildcard names ({@code classpath:routes/*.yaml}), found from the names alone: a jar's
 * central directory, a class directory's listing. Camel's resolver instead reads and inflates every entry of the jar
 * to find them, seconds of the cold start with the 127 MB shaded jar; the directory of its 64,000 names is read in
 * milliseconds.
 */
final class PackagedFiles {

    private static final String CLASSPATH = "classpath:";

    private PackagedFiles() {
    }

    /** A {@code classpath:} location with a wildcard. */
    static boolean isPackagedPattern(String location) {
        return location.startsWith(CLASSPATH) && AntPathMatcher.INSTANCE.isPattern(location.substring(CLASSPATH.length()));
    }

    /**
     * The files {@code pattern} matches, in name order, as the resources Camel's resolver makes of them (the same
     * locations in the log, in hawtio's route sources and for live reload).
     */
    static List<Resource> matching(CamelContext context, ClassLoader loader, String pattern) {
        String path = pattern.substring(CLASSPATH.length());
        String root = AntPathMatcher.INSTANCE.determineRootDir(path);
        ResourceLoader resources = PluginHelper.getResourceLoader(context);
        Map<String, Resource> byName = new TreeMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(root))) {
                if ("jar".equals(url.getProtocol())) {
                    for (String name : jarEntriesUnder(url, root)) {
                        if (AntPathMatcher.INSTANCE.match(path, name)) {
                            byName.putIfAbsent(name, new PackageScanJarResource("jar", url, name));
                        }
                    }
                } else if ("file".equals(url.getProtocol())) {
                    Path directory = asPath(url);
                    for (Path file : filesUnder(directory)) {
                        String name = root + directory.relativize(file).toString().replace(File.separatorChar, '/');
                        if (AntPathMatcher.INSTANCE.match(path, name)) {
                            byName.putIfAbsent(name, resources.resolveResource("file:" + file));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + pattern, e);
        }
        return new ArrayList<>(byName.values());
    }

    /** The names of the jar's files under {@code root}, from its central directory: no entry is read. */
    private static List<String> jarEntriesUnder(URL url, String root) throws IOException {
        Path jar = asPath(((JarURLConnection) url.openConnection()).getJarFileURL());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().filter(entry -> !entry.isDirectory() && entry.getName().startsWith(root))
                    .map(ZipEntry::getName).toList();
        }
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static Path asPath(URL url) {
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url.toString(), e);
        }
    }
}
