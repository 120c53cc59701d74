package org.octgateway.storage;

import java.io.IOException;

/**
 * A storage call that failed, in a provider's own few words (its status and error code, never its XML or stack
 * trace). Each provider's routes turn their SDK's exceptions into these, so the shared code knows no SDK.
 */
public class StorageFailure extends IOException {

    public StorageFailure(String message) {
        super(message);
    }
}
