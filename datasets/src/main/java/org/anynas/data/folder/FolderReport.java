package org.anynas.data.folder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What opening a folder found.
 *
 * @param layout         "class folders", "train/ val/ test/ folders" or "csv"
 * @param imagesPerClass for each split present, the readable images of each class (index = class index)
 * @param ignoredFiles   hidden files and folders and non-image files passed over (not errors)
 * @param badFiles       image files that could not be decoded, skipped
 * @param cacheHit       true when the decoded cache existed and nothing was decoded
 * @param sizeNote       how the image size was chosen, e.g. "all 900 images are 32×32" (sizes are height×width)
 * @param channelsNote   how the channel count was chosen, e.g. "1 channel: all 900 images are grey"
 * @param cacheDir       the folder holding the decoded images
 */
public record FolderReport(String layout, Map<FolderSplit, List<Integer>> imagesPerClass, int ignoredFiles,
                           List<BadFile> badFiles, boolean cacheHit, String sizeNote, String channelsNote, Path cacheDir) {

    public FolderReport {
        imagesPerClass = Map.copyOf(imagesPerClass);
        badFiles = List.copyOf(badFiles);
    }

    /** The readable images of a split; 0 when the split is absent. */
    public int images(FolderSplit split) {
        List<Integer> counts = imagesPerClass.get(split);
        return counts == null ? 0 : counts.stream().mapToInt(Integer::intValue).sum();
    }

    /** A few lines for a person: counts per split, the smallest and largest class, size and channels, skipped files. */
    public List<String> lines(List<String> classNames) {
        List<String> out = new ArrayList<>();
        for (FolderSplit s : FolderSplit.values()) {
            List<Integer> counts = imagesPerClass.get(s);
            if (counts == null) continue;
            int min = 0;
            int max = 0;
            for (int c = 1; c < counts.size(); c++) {
                if (counts.get(c) < counts.get(min)) min = c;
                if (counts.get(c) > counts.get(max)) max = c;
            }
            out.add(counts.get(min).equals(counts.get(max))
                    ? String.format(Locale.ENGLISH, "%s: %,d images in %d classes (%,d each)", s.key(), images(s), counts.size(), counts.get(min))
                    : String.format(Locale.ENGLISH, "%s: %,d images in %d classes (fewest: %s %,d, most: %s %,d)", s.key(),
                    images(s), counts.size(), classNames.get(min), counts.get(min), classNames.get(max), counts.get(max)));
        }
        out.add(sizeNote);
        out.add(channelsNote);
        if (ignoredFiles > 0) {
            out.add(String.format(Locale.ENGLISH, "%,d file%s ignored (hidden or not images)", ignoredFiles, ignoredFiles == 1 ? "" : "s"));
        }
        if (!badFiles.isEmpty()) {
            out.add(String.format(Locale.ENGLISH, "%,d unreadable image%s skipped, first: %s", badFiles.size(),
                    badFiles.size() == 1 ? "" : "s", badFiles.get(0)));
        }
        out.add((cacheHit ? "decoded images reused from " : "decoded images cached in ") + cacheDir);
        return out;
    }
}
