package org.octgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory only the gateway's own user can enter (rwx------), for image bytes that wait on disk: upload parts
 * while a request is read, a job's image while the worker holds it. Files in it are unreadable to other users
 * whatever their own mode, so patient images never become world-readable.
 */
public final class PrivateDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    /**
     * Creates {@code dir} (and its parents) owner-only, or makes an existing one owner-only, and removes the files
     * a previous run left in it (a crash mid-request): nothing in it outlives the request or job that wrote it.
     */
    public static Path prepare(Path dir) {
        Path absolute = restrict(dir);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(absolute)) {
            int removed = 0;
            for (Path leftover : leftovers) {
                if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(leftover)) {
                    Files.deleteIfExists(leftover);
                    removed++;
                }
            }
            if (removed > 0) {
                LOG.info("Removed {} file(s) a previous run left in {}", removed, absolute);
            }
            return absolute;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty the private directory " + absolute, e);
        }
    }

    /**
     * Creates {@code dir} (and its parents) owner-only, or makes an existing one owner-only, keeping what is in it
     * (the broker's directory: its journal and large messages, which hold queued images).
     */
    public static Path restrict(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                if (posix) {
                    Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectories(absolute);
                }
            }
            if (posix) {
                // createDirectories applies the umask, and an older gateway may have made it world-readable
                Files.setPosixFilePermissions(absolute, OWNER_ONLY);
            }
            return absolute;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the private directory " + absolute, e);
        }
    }
}
