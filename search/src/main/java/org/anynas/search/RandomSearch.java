package org.anynas.search;

import org.anynas.space.Sampler;

import java.util.Random;

/** Uniform sampling within the budget, the baseline every NAS claim must beat: it sees no results. */
final class RandomSearch implements Proposer {
    private final int population;
    private final Sampler sampler;
    private final Random random;

    RandomSearch(int population, Sampler sampler, Random random) {
        this.population = population;
        this.sampler = sampler;
        this.random = random;
    }

    @Override
    public Proposal ask(int seq) {
        return Proposal.random(sampler.sample(random, Search.MAX_DRAWS), (seq - 1) / population + 1);
    }

    @Override
    public void tell(Visit visit) {
    }
}
