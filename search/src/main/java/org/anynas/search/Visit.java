package org.anynas.search;

import org.anynas.evaluator.EvaluationResult;
import org.anynas.space.Architecture;

/**
 * One candidate the search visited: its sequence number in the campaign, generation, origin, genes,
 * decoded network and score. {@code cached} means the score came from an earlier evaluation.
 */
public record Visit(long candidateId, int seq, int generation, String origin, int[] genes, Architecture architecture,
                    String hash, EvaluationResult result, boolean cached, boolean replayed) {

    /** Jenetics fitness: validation accuracy, or the worst value for a failed candidate. */
    public double fitness() {
        return result.ok() ? result.valAccuracy() : Search.FAILED_FITNESS;
    }
}
