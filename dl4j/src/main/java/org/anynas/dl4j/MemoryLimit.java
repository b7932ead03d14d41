package org.anynas.dl4j;

import org.anynas.space.OpGraph;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * How much memory one candidate's training may take. A candidate whose estimate exceeds it gets status
 * {@code oom} before anything is allocated: a native allocation failure inside ND4J can abort the whole
 * process instead of throwing, and an over-large candidate would otherwise push the machine into swap.
 */
public record MemoryLimit(long bytes) {

    public MemoryLimit {
        if (bytes <= 0) throw new IllegalArgumentException("memory limit must be positive, got " + bytes);
    }

    public static MemoryLimit of(long bytes) {
        return new MemoryLimit(bytes);
    }

    /** Three quarters of the machine's physical memory, shared by {@code workers} parallel trainings. */
    public static MemoryLimit machine(int workers) {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return new MemoryLimit(physical / 4 * 3 / Math.max(1, workers));
    }

    /**
     * Bytes a training step needs, in float32: weights, gradients and two Adam moments per parameter, and
     * per image the activations kept for the backward pass, their gradients and the layer helpers' scratch
     * space (together about four copies).
     */
    public static long trainingBytes(OpGraph graph, int batch) {
        long perParameter = 4L * 4;
        long perActivation = 4L * 4;
        return graph.params() * perParameter + graph.bnStatistics() * 4L
                + (long) batch * (graph.activations() + graph.input().elements()) * perActivation;
    }

    /** Why {@code graph} at {@code batch} does not fit, or empty when it does. */
    public Optional<String> exceededBy(OpGraph graph, int batch) {
        long need = trainingBytes(graph, batch);
        if (need <= bytes) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, "training needs an estimated %.2f GB at batch %d, over the %.2f GB "
                + "allowed per candidate", need / 1e9, batch, bytes / 1e9));
    }
}
