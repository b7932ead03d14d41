package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.space.Architecture;

import java.util.List;

/**
 * One candidate the search visited: its sequence number in the campaign, generation, origin (random, mutation,
 * crossover) and parent candidates, genes, decoded network and score. {@code cached} means the score came from
 * an earlier evaluation; {@code replayed} that an earlier run of this campaign stored it (resume). {@code rung} is
 * the visit's place on the fidelity ladder (0 without one) after {@code epochs} epochs of the schedule; a
 * promotion is a visit of its own (origin "promotion", parent the visit at the rung below). {@code trainedEpochs}
 * is what this run trained for it (0 when cached or replayed): the compute it cost, in epochs.
 */
public record Visit(long candidateId, int seq, int generation, String origin, List<Long> parents, int[] genes,
                    Architecture architecture, String hash, EvaluationResult result, boolean cached, boolean replayed,
                    int rung, int epochs, int trainedEpochs) {

    public Visit {
        parents = List.copyOf(parents);
    }

    public Visit withId(long id) {
        return new Visit(id, seq, generation, origin, parents, genes, architecture, hash, result, cached, replayed, rung,
                epochs, trainedEpochs);
    }

    /** Fair order for parents and rankings: the higher rung first, then the better score within it. */
    public static final java.util.Comparator<Visit> FAIR = java.util.Comparator.comparingInt(Visit::epochs)
            .thenComparingDouble(Visit::fitness);

    /** Jenetics fitness: validation accuracy, or the worst value for a failed candidate. */
    public double fitness() {
        return result.ok() ? result.valAccuracy() : Search.FAILED_FITNESS;
    }
}
