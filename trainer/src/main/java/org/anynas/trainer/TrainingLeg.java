package org.anynas.trainer;

import org.anynas.space.Fidelity;

import java.nio.file.Path;

/**
 * A stretch of one training run planned for {@code fidelity.epochs()} epochs (one learning-rate schedule for the
 * whole run): epochs {@code fromEpoch + 1 … toEpoch}, continuing from {@code resume} (weights, optimizer state
 * and step count after {@code fromEpoch} epochs) when it starts past epoch 0, and saving the state after
 * {@code toEpoch} to {@code save} when a later leg may continue it. Fidelity rungs are legs.
 */
public record TrainingLeg(int fromEpoch, int toEpoch, Path resume, Path save) {

    public TrainingLeg {
        if (fromEpoch < 0 || toEpoch <= fromEpoch) throw new IllegalArgumentException("a leg trains epochs " + fromEpoch + " < e <= " + toEpoch);
        if (fromEpoch > 0 && resume == null) throw new IllegalArgumentException("a leg from epoch " + fromEpoch + " needs a checkpoint");
    }

    /** The whole run in one leg, no checkpoint. */
    public static TrainingLeg whole(Fidelity fidelity) {
        return new TrainingLeg(0, fidelity.epochs(), null, null);
    }

    /** Epochs 1 … {@code toEpoch} from scratch, saving a checkpoint at the end if {@code save} is not null. */
    public static TrainingLeg of(int toEpoch, Path save) {
        return new TrainingLeg(0, toEpoch, null, save);
    }

    /** Epochs {@code fromEpoch + 1 … toEpoch}, continuing from {@code resume}. */
    public static TrainingLeg continuing(int fromEpoch, Path resume, int toEpoch, Path save) {
        return new TrainingLeg(fromEpoch, toEpoch, resume, save);
    }

    public int epochs() {
        return toEpoch - fromEpoch;
    }
}
