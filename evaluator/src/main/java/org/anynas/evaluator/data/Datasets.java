package org.anynas.evaluator.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads a named dataset once per process and splits it into train/validation/test. */
public final class Datasets {
    private static final Map<String, ImageSet[]> LOADED = new ConcurrentHashMap<>();

    private Datasets() {
    }

    /**
     * @param name           fashion-mnist, mnist, cifar-10, or synthetic
     * @param dataDir        explicit directory, or null to search the standard places
     * @param validationSize examples held out of the training set for validation
     * @param splitSeed      seed of the train/validation split
     */
    /** validation_size 0: the default hold-out of a built-in dataset. */
    public static final int DEFAULT_VALIDATION = 10_000;

    public static Dataset load(String name, Path dataDir, int validationSize, long splitSeed) {
        if (validationSize == 0) validationSize = name.equalsIgnoreCase("synthetic") ? 1000 : DEFAULT_VALIDATION;
        if (name.equalsIgnoreCase("synthetic")) {
            return Split.of("synthetic", SyntheticImages.generate(4000, 1), SyntheticImages.generate(1000, 2),
                    validationSize, splitSeed);
        }
        KnownDataset known = KnownDataset.named(name);
        Path dir = DatasetLocator.standard().locate(known, dataDir);
        ImageSet[] sets = LOADED.computeIfAbsent(known.key() + "@" + dir.toAbsolutePath(), k -> known.read(dir));
        return Split.of(known.key(), sets[0], sets[1], validationSize, splitSeed);
    }
}
