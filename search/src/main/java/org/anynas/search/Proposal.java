package org.anynas.search;

import java.util.List;

/** A candidate the search decided to train: its genes, its generation (block) and how it came about. */
record Proposal(int[] genes, int generation, String origin, List<Long> parents) {
    Proposal {
        parents = List.copyOf(parents);
    }

    static Proposal random(int[] genes, int generation) {
        return new Proposal(genes, generation, "random", List.of());
    }
}
