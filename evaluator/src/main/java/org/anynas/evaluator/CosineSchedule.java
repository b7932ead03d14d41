package org.anynas.evaluator;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/** Cosine decay of the learning rate from {@code initial} to 0 over {@code totalIterations} (ND4J has none). */
public final class CosineSchedule implements ISchedule {
    private final double initial;
    private final int totalIterations;

    public CosineSchedule(@JsonProperty("initial") double initial, @JsonProperty("totalIterations") int totalIterations) {
        this.initial = initial;
        this.totalIterations = Math.max(1, totalIterations);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double progress = Math.min(1.0, (double) iteration / totalIterations);
        return initial * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initial, totalIterations);
    }

    public double getInitial() {
        return initial;
    }

    public int getTotalIterations() {
        return totalIterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && c.initial == initial && c.totalIterations == totalIterations;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(initial) * 31 + totalIterations;
    }
}
