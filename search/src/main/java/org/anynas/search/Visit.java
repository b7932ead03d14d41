package org.anynas.search;

import org.anynas.evaluator.EvaluationResult;
import org.anynas.space.Architecture;

import java.util.List;

/**
 * One candidate the search visited: its sequence number in the campaign, generation, origin (random, mutation,
 * crossover) and parent candidates, genes, decoded network and score. {@code cached} means the score came from
 * an earlier evaluation; {@code replayed} that an earlier run of this campaign stored it (resume).
 */
public record Visit(long candidateId, int seq, int generation, String origin, List<Long> parents, int[] genes,
                    Architecture architecture, String hash, EvaluationResult result, boolean cached, boolean replayed) {

    public Visit {
        parents = List.copyOf(parents);
    }

    public Visit withId(long id) {
        return new Visit(id, seq, generation, origin, parents, genes, architecture, hash, result, cached, replayed);
    }

    /** Jenetics fitness: validation accuracy, or the worst value for a failed candidate. */
    public double fitness() {
        return result.ok() ? result.valAccuracy() : Search.FAILED_FITNESS;
    }
}
