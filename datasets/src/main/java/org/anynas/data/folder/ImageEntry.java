package org.anynas.data.folder;

import java.nio.file.Path;

/**
 * One image file found by the scan.
 *
 * @param relative path relative to the source folder (or the CSV's folder), '/'-separated: what reports show
 * @param modified the file's modification time in nanoseconds (the file system's full precision), for the cache key
 */
record ImageEntry(Path file, String relative, int label, FolderSplit split, long bytes, long modified) {
}
