package org.anynas.data.folder;

/** A file that could not be decoded: its path relative to the source folder and why, in one line. */
public record BadFile(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
