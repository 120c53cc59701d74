package org.octgateway.storage;

import com.azure.storage.blob.models.BlobHttpHeaders;

/** The Azure component takes a blob's content type only through a BlobHttpHeaders header value. */
public class AzureBlobHeaders {

    public BlobHttpHeaders json() {
        return new BlobHttpHeaders().setContentType("application/json");
    }
}
