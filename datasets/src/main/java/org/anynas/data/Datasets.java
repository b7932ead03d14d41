package org.anynas.data;

import org.anynas.data.folder.FolderData;
import org.anynas.data.folder.FolderDataset;
import org.anynas.data.folder.FolderSpec;
import org.anynas.data.folder.MappedImages;
import org.anynas.data.folder.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a dataset and splits it into train/validation/test: a built-in one by name (read once per process), or
 * the user's own images, a folder or a CSV, decoded once into a memory-mapped cache ({@link FolderData}).
 */
public final class Datasets {
    /** validation_size 0: the default hold-out of a built-in dataset, and the most a folder's default holds out. */
    public static final int DEFAULT_VALIDATION = 10_000;
    /** A folder without val/ holds out this share of its training images by default. */
    public static final double FOLDER_VALIDATION_SHARE = 0.2;

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);
    private static final Map<String, ImageSet[]> LOADED = new ConcurrentHashMap<>();

    private Datasets() {
    }

    /**
     * @param name           fashion-mnist, mnist, cifar-10, or synthetic
     * @param dataDir        explicit directory, or null to search the standard places
     * @param validationSize examples held out of the training set for validation (0: the default)
     * @param splitSeed      seed of the train/validation split
     */
    public static Dataset load(String name, Path dataDir, int validationSize, long splitSeed) {
        return load(name, dataDir, ImageOptions.DEFAULTS, validationSize, splitSeed, Progress.NONE);
    }

    /** As above; {@code name} may also be a folder or a CSV file of images, read as {@code images} says. */
    public static Dataset load(String name, Path dataDir, ImageOptions images, int validationSize, long splitSeed,
                               Progress progress) {
        if (name.equalsIgnoreCase("synthetic")) {
            return Split.of("synthetic", SyntheticImages.generate(4000, 1), SyntheticImages.generate(1000, 2),
                    validationSize == 0 ? 1000 : validationSize, splitSeed);
        }
        if (!isBuiltIn(name)) return folder(Path.of(name), images, validationSize, splitSeed, progress);
        KnownDataset known = KnownDataset.named(name);
        Path dir = DatasetLocator.standard().locate(known, dataDir);
        ImageSet[] sets = LOADED.computeIfAbsent(known.key() + "@" + dir.toAbsolutePath(), k -> known.read(dir));
        return Split.of(known.key(), sets[0], sets[1], validationSize == 0 ? DEFAULT_VALIDATION : validationSize, splitSeed);
    }

    /** A built-in dataset's name (or synthetic); anything else is a path to the user's images. */
    public static boolean isBuiltIn(String name) {
        return name.equalsIgnoreCase("synthetic") || KnownDataset.find(name).isPresent();
    }

    /**
     * A campaign's {@code dataset} value as it is stored: a built-in name unchanged, a folder or CSV as an absolute
     * path (a campaign resumed from another directory, or a Spark executor, reads the same files). Whether it exists
     * is the loader's question, asked before a campaign writes anything.
     */
    public static String canonical(String name) {
        if (isBuiltIn(name)) return name;
        try {
            return Path.of(name).toAbsolutePath().normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            throw new DatasetException("dataset '" + name + "' is neither a built-in (fashion-mnist, mnist, cifar-10) nor a path");
        }
    }

    private static Dataset folder(Path source, ImageOptions images, int validationSize, long seed, Progress progress) {
        if (!Files.exists(source)) {
            throw new DatasetException("dataset " + source + " is neither a built-in (fashion-mnist, mnist, cifar-10) nor an "
                    + "existing folder or CSV file: check the path");
        }
        FolderSpec spec = images.spec(source.toAbsolutePath().normalize());
        FolderDataset fd = FolderData.open(spec, Cache.images(), progress);
        if (fd.classNames().size() > 256) {
            throw new DatasetException(source + " has " + fd.classNames().size() + " classes; AnyNAS handles up to 256");
        }
        var report = fd.report();
        for (var bad : report.badFiles()) LOG.warn("skipped unreadable image {}: {}", bad.path(), bad.reason());
        String name = report.cacheDir().getFileName().toString(); // the folder's name and the key of its files and settings
        List<String> notes = new ArrayList<>();
        notes.add("read from " + source.toAbsolutePath().normalize() + " (" + report.layout() + ")");
        notes.addAll(report.lines(fd.classNames()));
        if (!report.badFiles().isEmpty()) notes.add("the unreadable images and why are listed in the run's log");
        int classes = fd.classNames().size();
        ImageSet train = set(name + "/train", fd.train(), classes);
        ImageSet test = fd.test() == null || fd.test().size() == 0 ? null : set(name + "/test", fd.test(), classes);
        InputRule rule = new InputRule(spec.resize(), spec.background());
        if (fd.val() != null && fd.val().size() > 0) {
            // validation given: the training images in a seeded order (the proxy trains on a prefix)
            ImageSet shuffled = train.select(Split.permutation(train.size(), seed), "");
            return new Dataset(name, shuffled, set(name + "/val", fd.val(), classes), test, fd.classNames(), rule, notes);
        }
        int n = train.size();
        int hold = validationSize > 0 ? validationSize
                : (int) Math.max(1, Math.min(DEFAULT_VALIDATION, Math.round(n * FOLDER_VALIDATION_SHARE)));
        if (n < 2) throw new DatasetException(source + " has " + n + " training image: add images (a few per class at least)");
        if (validationSize == 0) notes.add(String.format(Locale.ROOT, "validation: %,d of the %,d training images, stratified by "
                + "class (%.0f %%; validation_size sets it, a val/ folder gives it)", hold, n, FOLDER_VALIDATION_SHARE * 100));
        return Split.of(name, train, test, hold, seed, fd.classNames(), rule, notes);
    }

    private static ImageSet set(String name, MappedImages images, int classes) {
        byte[] labels = new byte[images.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) images.label(i);
        return new ImageSet(name, images.shape(), classes, images, labels);
    }
}
