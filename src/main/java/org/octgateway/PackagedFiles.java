package org.octgateway;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

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

    /** The {@code classpath:} locations of the files {@code pattern} matches, in name order, each once. */
    static List<String> matching(ClassLoader loader, String pattern) {
        String path = pattern.substring(CLASSPATH.length());
        String root = AntPathMatcher.INSTANCE.determineRootDir(path);
        Set<String> names = new TreeSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(root))) {
                for (String name : namesUnder(url, root)) {
                    if (AntPathMatcher.INSTANCE.match(path, name)) {
                        names.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + pattern, e);
        }
        return names.stream().map(name -> CLASSPATH + name).toList();
    }

    /** The names (paths from the class path's root) of the files under {@code root}, which {@code url} locates. */
    private static List<String> namesUnder(URL url, String root) throws IOException {
        if ("jar".equals(url.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            Path jar = asPath(connection.getJarFileURL());
            List<String> names = new ArrayList<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream().filter(entry -> !entry.isDirectory() && entry.getName().startsWith(root))
                        .forEach(entry -> names.add(entry.getName()));
            }
            return names;
        }
        if ("file".equals(url.getProtocol())) {
            Path directory = asPath(url);
            try (Stream<Path> files = Files.walk(directory)) {
                return files.filter(Files::isRegularFile)
                        .map(file -> root + directory.relativize(file).toString().replace(file.getFileSystem()
                                .getSeparator(), "/"))
                        .toList();
            }
        }
        return List.of();
    }

    private static Path asPath(URL url) {
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url.toString(), e);
        }
    }
}
