package org.octgateway.storage;

/** The provider refused the location itself (e.g. a local path leading out of its bucket): the client's 403. */
public class StorageRefused extends StorageFailure {

    public StorageRefused(String message) {
        super(message);
    }
}
