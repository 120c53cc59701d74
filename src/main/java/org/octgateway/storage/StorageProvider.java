package org.octgateway.storage;

/**
 * The Java half of a storage provider (the other half is routes/storage-&lt;name&gt;.yaml): it binds its SDK client and
 * says whether it can serve. A provider that needs no client (local) needs no such class.
 */
public interface StorageProvider {

    /** The provider's name, as in its routes {@code direct:storage-<name>-list|fetch|write} and in endpoint settings. */
    String name();

    /**
     * Why it cannot serve requests, naming the setting the operator must set; null when it can. Asked only for
     * providers an endpoint uses, so an unused provider never goes looking for credentials.
     */
    String missingSetting();
}
