package org.octgateway.storage;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local provider on a real file system with real symbolic links: nothing outside a bucket is reached through one. */
class LocalBucketsTest {

    @TempDir
    Path temp;
    private Path root;
    private Path outside;
    private LocalBuckets buckets;

    @BeforeEach
    void bucketsAndAFolderOutsideThem() throws Exception {
        root = Files.createDirectories(temp.resolve("buckets"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.png"), "secret");
        Files.createDirectories(root.resolve("in/exam"));
        Files.writeString(root.resolve("in/exam/own.png"), "own");
        buckets = new LocalBuckets(root);
    }

    @Test
    void linksInsideTheBucketWork() throws Exception {
        Files.createSymbolicLink(root.resolve("in/exam/alias.png"), root.resolve("in/exam/own.png"));

        assertEquals(List.of("exam/alias.png", "exam/own.png"), buckets.list("in", "exam/"));
        assertArrayEquals("own".getBytes(), buckets.fetch("in", "exam/alias.png"));
    }

    @Test
    void aLinkedFileOrFolderOutsideTheBucketIsNotListed() throws Exception {
        Files.createSymbolicLink(root.resolve("in/exam/secret.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(root.resolve("in/exam/dir"), outside);
        Files.createSymbolicLink(root.resolve("in/linked-exam"), outside);

        assertEquals(List.of("exam/own.png"), buckets.list("in", "exam/"));
        assertEquals(List.of("exam/own.png"), buckets.list("in", ""));
        assertEquals(List.of(), buckets.list("in", "exam/dir/"));
        assertEquals(List.of(), buckets.list("in", "linked-exam/"));
    }

    @Test
    void aLinkedFileOrFolderOutsideTheBucketIsNotRead() throws Exception {
        Files.createSymbolicLink(root.resolve("in/exam/secret.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(root.resolve("in/exam/dir"), outside);
        Files.createDirectories(root.resolve("other"));
        Files.writeString(root.resolve("other/theirs.png"), "theirs");
        Files.createSymbolicLink(root.resolve("in/exam/theirs.png"), root.resolve("other/theirs.png"));

        for (String name : List.of("exam/secret.png", "exam/dir/secret.png", "exam/theirs.png")) {
            LocalBuckets.OutsideBucket refused = assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.fetch("in", name));
            assertTrue(refused.getMessage().contains(name) && !refused.getMessage().contains(temp.toString()), refused.getMessage());
        }
        assertThrows(NoSuchFileException.class, () -> buckets.fetch("in", "exam/missing.png"));
    }

    @Test
    void aLinkedResultFolderOrFileIsNotWrittenThrough() throws Exception {
        Files.createDirectories(root.resolve("out/results"));
        Files.createSymbolicLink(root.resolve("out/results/exam"), outside);
        Files.createSymbolicLink(root.resolve("out/results/linked.json"), outside.resolve("secret.png"));

        assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.write("out", "results/exam/own.png.json", "{}"));
        assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.write("out", "results/exam/deeper/own.png.json", "{}"));
        assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.write("out", "results/linked.json", "{}"));

        assertEquals("secret", Files.readString(outside.resolve("secret.png")), "the link target is untouched");
        try (var files = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("secret.png")), files.toList(), "nothing was created outside");
        }
    }

    @Test
    void aBucketThatIsALinkOutOfTheRootIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("escaped"), outside);

        assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.list("escaped", ""));
        assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.fetch("escaped", "secret.png"));
        assertThrows(LocalBuckets.OutsideBucket.class, () -> buckets.write("escaped", "results/x.json", "{}"));
        assertFalse(Files.exists(outside.resolve("results")));
    }

    @Test
    void ordinaryWritesCreateTheirFoldersAndReplaceAtomically() throws Exception {
        buckets.write("out", "results/exam/own.png.json", "{\"v\":1}");
        buckets.write("out", "results/exam/own.png.json", "{\"v\":2}");

        assertEquals("{\"v\":2}", Files.readString(root.resolve("out/results/exam/own.png.json")));
        try (var files = Files.list(root.resolve("out/results/exam"))) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }
}
