package org.anynas.data.folder;

import org.anynas.space.Shape;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a user's own images: a folder of class subfolders, train/ val/ test/ folders, or a CSV (see {@link FolderScan}
 * and {@link CsvScan}), decoded once into a cache and then memory-mapped.
 */
public final class FolderData {
    private FolderData() {
    }

    /**
     * Scans the source, decodes it into {@code cacheRoot} unless an entry for the same files and settings exists, and
     * maps the result. Throws {@link org.anynas.data.DatasetException} with a one-line message on a user error.
     */
    public static FolderDataset open(FolderSpec spec, Path cacheRoot, Progress progress) {
        return open(spec, cacheRoot, progress, Runtime.getRuntime().availableProcessors());
    }

    static FolderDataset open(FolderSpec spec, Path cacheRoot, Progress progress, int threads) {
        FolderScan scan = FolderScan.of(spec.source());
        String name = DecodeCache.entryName(scan, spec);
        boolean[] built = new boolean[1];
        CacheMeta meta = DecodeCache.openOrBuild(cacheRoot, name, new CacheBuilder(scan, spec, progress, threads), built);
        Path dir = cacheRoot.resolve(name);
        Shape shape = Shape.of(meta.channels(), meta.height(), meta.width());
        Map<FolderSplit, List<Integer>> perClass = new EnumMap<>(FolderSplit.class);
        Map<FolderSplit, MappedImages> images = new EnumMap<>(FolderSplit.class);
        for (FolderSplit s : FolderSplit.values()) {
            List<Integer> counts = meta.imagesPerClass().get(s.key());
            if (counts == null) continue;
            perClass.put(s, counts);
            images.put(s, MappedImages.open(dir.resolve(s.key() + ".pixels"), dir.resolve(s.key() + ".labels"), shape));
        }
        FolderReport report = new FolderReport(meta.layout(), perClass, scan.ignored(), meta.badFiles(), !built[0],
                meta.sizeNote(), meta.channelsNote(), dir);
        return new FolderDataset(meta.classNames(), shape, images.get(FolderSplit.TRAIN), images.get(FolderSplit.VAL),
                images.get(FolderSplit.TEST), report);
    }
}
