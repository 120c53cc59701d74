package org.octgateway;

import java.util.Optional;

/**
 * The test's own hands on a storage provider, next to the gateway (seeding exams, reading results),
 * through the provider's SDK or file system, never through the gateway.
 */
interface BucketStore {

    void put(String bucket, String name, byte[] content);

    Optional<byte[]> get(String bucket, String name);

    void delete(String bucket, String name);

    /** A zero-byte "folder/" placeholder object, as consoles create them (a plain folder where there are no objects). */
    void putFolderPlaceholder(String bucket, String folder);
}
