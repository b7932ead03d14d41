package org.anynas.evaluator;

import org.anynas.trainer.TrainingRecipe;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate per step (ND4J has no cosine schedule): a linear warm-up over the first {@code warmupIterations}
 * steps, {@code initial·(step + 1)/warmup}, then cosine decay from {@code initial} to 0 over the remaining steps of
 * {@code totalIterations}. Without warm-up it is plain cosine decay over all of them. The PyTorch worker's
 * training.learning_rate computes the same numbers in the same order (RecipeParityTest compares them exactly).
 */
public final class CosineSchedule implements ISchedule {
    private final double initial;
    private final int totalIterations;
    private final int warmupIterations;

    public CosineSchedule(double initial, int totalIterations) {
        this(initial, totalIterations, 0);
    }

    /** Models saved before warm-up existed have no warmupIterations: Jackson passes 0, the plain cosine they trained with. */
    public CosineSchedule(@JsonProperty("initial") double initial, @JsonProperty("totalIterations") int totalIterations,
                          @JsonProperty("warmupIterations") int warmupIterations) {
        this.initial = initial;
        this.totalIterations = Math.max(1, totalIterations);
        this.warmupIterations = Math.max(0, warmupIterations);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return TrainingRecipe.Schedule.cosineAt(initial, totalIterations, warmupIterations, iteration);
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initial, totalIterations, warmupIterations);
    }

    public double getInitial() {
        return initial;
    }

    public int getTotalIterations() {
        return totalIterations;
    }

    public int getWarmupIterations() {
        return warmupIterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && c.initial == initial && c.totalIterations == totalIterations
                && c.warmupIterations == warmupIterations;
    }

    @Override
    public int hashCode() {
        return (Double.hashCode(initial) * 31 + totalIterations) * 31 + warmupIterations;
    }
}
