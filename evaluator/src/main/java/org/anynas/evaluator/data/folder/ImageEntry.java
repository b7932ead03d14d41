package org.anynas.evaluator.data.folder;

import java.nio.file.Path;

/**
 * One image file found by the scan.
 *
 * @param relative path relative to the source folder (or the CSV's folder), '/'-separated: what reports show
 * @param modified the file's modification time in its full precision, as text, so the cache key sees any touch
 */
record ImageEntry(Path file, String relative, int label, FolderSplit split, long bytes, String modified) {
}
