package org.octgateway.storage;

/** The bucket, container or object does not exist: a listing that fails with this is the client's 404. */
public class StorageNotFound extends StorageFailure {

    public StorageNotFound(String message) {
        super(message);
    }
}
