package org.anynas.trainer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a final training keeps its state after each finished epoch, so that a run stopped or killed half-way goes on
 * from its last finished epoch, with the same result as one uninterrupted run (on the CPU, to the bit). {@code key}
 * names the training (network, data, recipe, seed): a state written under another key is not used, the training starts
 * from its first epoch and writes over it. The file is the caller's to remove once the training's results are kept.
 */
public record EpochState(Path file, String key) {
    public EpochState {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
    }

    public static EpochState of(Path file, String key) {
        return new EpochState(file.toAbsolutePath().normalize(), key);
    }
}
