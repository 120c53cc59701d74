package org.octgateway.storage;

import java.nio.file.NoSuchFileException;

import com.azure.storage.blob.models.BlobStorageException;
import com.google.cloud.storage.StorageException;

/** What the providers' SDKs said when a storage call failed, read from the cause chain in one place. */
public final class StorageFailures {

    private StorageFailures() {
    }

    /** A missing bucket, container or object, whichever provider said so. */
    public static boolean isNotFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BlobStorageException azure && azure.getStatusCode() == 404
                    || t instanceof StorageException gcs && gcs.getCode() == 404
                    || t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    /** The local provider's refusal of a path leading out of its bucket, or null. */
    public static LocalBuckets.OutsideBucket outsideBucket(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LocalBuckets.OutsideBucket refused) {
                return refused;
            }
        }
        return null;
    }

    /** The SDK's answer in a few words (its status and error code, not its XML or stack trace). */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BlobStorageException azure) {
                return "Azure answered " + azure.getStatusCode() + " " + azure.getErrorCode();
            }
            if (t instanceof StorageException gcs) {
                return "GCS answered " + gcs.getCode() + " " + gcs.getReason();
            }
            if (t instanceof LocalBuckets.OutsideBucket refused) {
                return refused.getMessage();
            }
        }
        return failure == null ? "unknown error" : failure.getClass().getSimpleName();
    }
}
