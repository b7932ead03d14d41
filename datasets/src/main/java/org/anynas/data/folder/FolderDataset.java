package org.anynas.data.folder;

import org.anynas.space.Shape;

import java.util.List;

/**
 * A user's images, decoded into the cache and mapped.
 *
 * @param classNames class index → name
 * @param val        null when the source has no validation images
 * @param test       null when the source has no test images
 */
public record FolderDataset(List<String> classNames, Shape shape, MappedImages train, MappedImages val,
                            MappedImages test, FolderReport report) {

    public FolderDataset {
        classNames = List.copyOf(classNames);
    }
}
