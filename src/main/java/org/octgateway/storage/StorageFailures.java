package org.octgateway.storage;

import org.apache.camel.util.ObjectHelper;

/** Reads the neutral storage failures (see {@link StorageFailure}) from a cause chain, in one place. */
public final class StorageFailures {

    private StorageFailures() {
    }

    /** A missing bucket, container or object, whichever provider said so. */
    public static boolean isNotFound(Throwable failure) {
        return ObjectHelper.getException(StorageNotFound.class, failure) != null;
    }

    /** The provider's refusal of the location itself, or null. */
    public static StorageRefused refused(Throwable failure) {
        return ObjectHelper.getException(StorageRefused.class, failure);
    }

    /** The provider's answer in a few words. */
    public static String describe(Throwable failure) {
        StorageFailure storage = ObjectHelper.getException(StorageFailure.class, failure);
        if (storage != null) {
            return storage.getMessage();
        }
        return failure == null ? "unknown error" : failure.getClass().getSimpleName();
    }
}
