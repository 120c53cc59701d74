package org.octgateway.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.azure.storage.blob.models.BlobItem;
import com.google.cloud.storage.Blob;

/** Turns a provider component's listing (GCS {@code Blob}s, Azure {@code BlobItem}s, names) into object names. */
public class ObjectNames {

    public List<String> of(Collection<?> listing) {
        List<String> names = new ArrayList<>(listing.size());
        for (Object item : listing) {
            if (item instanceof Blob blob) {
                names.add(blob.getName());
            } else if (item instanceof BlobItem blobItem) {
                if (!Boolean.TRUE.equals(blobItem.isPrefix())) {
                    names.add(blobItem.getName());
                }
            } else {
                names.add(String.valueOf(item));
            }
        }
        return names;
    }
}
