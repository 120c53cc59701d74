package org.octgateway.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.Header;

/**
 * The {@code local} provider: one folder per bucket under {@code gateway.local.root}, object names as
 * relative paths. For development and the embedded default; every path is checked to stay inside its bucket.
 */
public class LocalBuckets {

    private final Path root;

    public LocalBuckets(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public List<String> list(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.PREFIX) String prefix)
            throws IOException {
        Path bucketDir = bucketDir(bucket);
        if (!Files.isDirectory(bucketDir)) {
            return List.of();
        }
        // Walk only the part of the tree the prefix can match.
        String parent = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "";
        Path start = inside(bucketDir, parent);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(start)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> bucketDir.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> name.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    public byte[] fetch(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.OBJECT_NAME) String name)
            throws IOException {
        return Files.readAllBytes(inside(bucketDir(bucket), name));
    }

    /** Writes atomically (temp file, then move), so a reader never sees half a result. */
    public void write(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.OBJECT_NAME) String name,
                      String body) throws IOException {
        Path target = inside(bucketDir(bucket), name);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".writing-", ".tmp");
        Files.writeString(temp, body, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path bucketDir(String bucket) {
        return inside(root, bucket);
    }

    private static Path inside(Path dir, String relative) {
        Path resolved = dir.resolve(relative).normalize();
        if (!resolved.startsWith(dir)) {
            throw new IllegalArgumentException("path escapes its bucket: " + relative);
        }
        return resolved;
    }
}
