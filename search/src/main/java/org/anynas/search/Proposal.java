package org.anynas.search;

import java.util.List;

/**
 * What the search decided to train next: a new candidate (its genes, generation and how it came about) on the
 * first rung, or the promotion of {@code from} to rung {@code rung}, continuing its training.
 */
record Proposal(int[] genes, int generation, String origin, List<Long> parents, int rung, Visit from) {
    Proposal {
        parents = List.copyOf(parents);
    }

    Proposal(int[] genes, int generation, String origin, List<Long> parents) {
        this(genes, generation, origin, parents, 0, null);
    }

    static Proposal random(int[] genes, int generation) {
        return new Proposal(genes, generation, "random", List.of());
    }

    static Proposal promotion(Visit from, int generation) {
        return new Proposal(from.genes(), generation, "promotion", List.of(from.candidateId()), from.rung() + 1, from);
    }
}
