package org.octgateway.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Header;

/**
 * The {@code local} provider: one folder per bucket under {@code gateway.local.root}, object names as
 * relative paths. For development and the embedded default. Every path is checked twice: by name (no
 * '..' out of the bucket) and on disk, by its real path (symbolic links resolved), so a link inside a bucket
 * that points elsewhere, to another bucket or out of the root, is neither listed, read nor written through.
 */
public class LocalBuckets {

    private final Path root;

    public LocalBuckets(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A path that leads out of its bucket on disk (through a symbolic link); the message names no local path. */
    public static class OutsideBucket extends StorageRefused {
        public OutsideBucket(String bucket, String name) {
            super(name.isEmpty() ? "the local bucket '" + bucket + "' is a symbolic link out of the buckets' root; refused"
                    : "'" + name + "' leads outside the local bucket '" + bucket + "' through a symbolic link; refused");
        }
    }

    public List<String> list(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.PREFIX) String prefix)
            throws IOException {
        Path bucketDir = bucketDir(bucket);
        if (!Files.isDirectory(bucketDir)) {
            return List.of();
        }
        Path bucketReal = realBucket(bucket, bucketDir);
        // Walk only the part of the tree the prefix can match, and only if it is inside the bucket on disk.
        String parent = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "";
        Path start = inside(bucketDir, parent);
        if (!Files.isDirectory(start) || !start.toRealPath().startsWith(bucketReal)) {
            return List.of();
        }
        // The walk does not descend into linked folders, so a plain file it meets is inside the bucket on disk (start
        // is): only a linked file needs its real path resolved, and is listed only if it stays in the bucket. Saves a
        // stat and a realpath (an lstat per path segment) per file: a 10,000-image folder is 10,000 lstats.
        List<String> names = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                boolean listed = attributes.isRegularFile()
                        || attributes.isSymbolicLink() && Files.isRegularFile(file) && staysIn(bucketReal, file);
                String name = bucketDir.relativize(file).toString().replace('\\', '/');
                if (listed && name.startsWith(prefix)) {
                    names.add(name);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        names.sort(null);
        return names;
    }

    public byte[] fetch(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.OBJECT_NAME) String name)
            throws IOException {
        Path bucketDir = bucketDir(bucket);
        Path real = inside(bucketDir, name).toRealPath();
        if (!real.startsWith(realBucket(bucket, bucketDir))) {
            throw new OutsideBucket(bucket, name);
        }
        return Files.readAllBytes(real);
    }

    /**
     * Writes atomically (temp file, then move), so a reader never sees half a result. The folders on the way
     * must be real folders of the bucket: a linked result folder is refused, as is a link at the result path.
     */
    public void write(@Header(StorageHeaders.BUCKET) String bucket, @Header(StorageHeaders.OBJECT_NAME) String name,
                      String body) throws IOException {
        Path bucketDir = bucketDir(bucket);
        Path target = inside(bucketDir, name);
        Files.createDirectories(bucketDir);
        Path bucketReal = realBucket(bucket, bucketDir);
        Path existing = target.getParent();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!existing.toRealPath().startsWith(bucketReal)) {
            throw new OutsideBucket(bucket, name);
        }
        Files.createDirectories(target.getParent());
        if (!target.getParent().toRealPath().startsWith(bucketReal)
                || Files.isSymbolicLink(target) && !staysIn(bucketReal, target)) {
            throw new OutsideBucket(bucket, name);
        }
        Path temp = Files.createTempFile(target.getParent(), ".writing-", ".tmp");
        Files.writeString(temp, body, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path bucketDir(String bucket) {
        return inside(root, bucket);
    }

    /** The bucket's folder on disk, which itself must be inside the root on disk. */
    private Path realBucket(String bucket, Path bucketDir) throws IOException {
        Path bucketReal = bucketDir.toRealPath();
        if (!bucketReal.startsWith(root.toRealPath())) {
            throw new OutsideBucket(bucket, "");
        }
        return bucketReal;
    }

    private static boolean staysIn(Path bucketReal, Path file) {
        try {
            return file.toRealPath().startsWith(bucketReal);
        } catch (IOException dangling) {
            return false;
        }
    }

    private static Path inside(Path dir, String relative) {
        Path resolved = dir.resolve(relative).normalize();
        if (!resolved.startsWith(dir)) {
            throw new IllegalArgumentException("path escapes its bucket: " + relative);
        }
        return resolved;
    }
}
