package org.octgateway.storage;

/** Reads the neutral storage failures (see {@link StorageFailure}) from a cause chain, in one place. */
public final class StorageFailures {

    private StorageFailures() {
    }

    /** A missing bucket, container or object, whichever provider said so. */
    public static boolean isNotFound(Throwable failure) {
        return find(failure, StorageNotFound.class) != null;
    }

    /** The provider's refusal of the location itself, or null. */
    public static StorageRefused refused(Throwable failure) {
        return find(failure, StorageRefused.class);
    }

    /** The provider's answer in a few words. */
    public static String describe(Throwable failure) {
        StorageFailure storage = find(failure, StorageFailure.class);
        if (storage != null) {
            return storage.getMessage();
        }
        return failure == null ? "unknown error" : failure.getClass().getSimpleName();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
