package org.anynas.data.folder;

import java.util.Locale;

/** The part of a user's data an image belongs to: a train/ val/ test/ folder or a CSV row's split column. */
public enum FolderSplit {
    TRAIN, VAL, TEST;

    /** train, val or test: the folder name and the cache file prefix. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** train | val | validation | test, any case; null for anything else. */
    static FolderSplit parse(String word) {
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "val", "validation" -> VAL;
            case "test" -> TEST;
            default -> null;
        };
    }
}
