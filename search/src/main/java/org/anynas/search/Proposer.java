package org.anynas.search;

import org.anynas.space.Sampler;

import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Proposes candidates: one ask → train → tell loop for every strategy (as Optuna runs one loop for every sampler).
 * {@link Search} asks for candidate {@code seq}, trains it, and tells each result in proposal order; a strategy is
 * one implementation of these two calls. Random search and regularized evolution are steady-state (a proposal for
 * every ask); NSGA-II answers a whole generation once the previous one is known, and nothing in between.
 */
interface Proposer extends AutoCloseable {

    /**
     * The proposal for candidate {@code seq}, or null when there is none until the candidates in flight are told
     * (NSGA-II between generations) or none at all (the strategy ended its run).
     */
    Proposal ask(int seq);

    /** A result the proposer may now see, in proposal order. */
    void tell(Visit visit);

    /**
     * Steady-state: up to in_flight candidates train at once, and the search counts generations in blocks of
     * population results; else the proposer says when a generation ends.
     */
    default boolean steadyState() {
        return true;
    }

    /** The search asks no more (its stop criteria ended it): the proposer ends its run. */
    default void finish() {
    }

    /** Releases what the proposer holds, also after a failure. */
    @Override
    default void close() {
    }

    /**
     * The campaign's strategy; {@code random} is the run's only source of randomness, and {@code generationDone}
     * hears (on the search thread) each generation a generational strategy completes.
     */
    static Proposer of(SearchSettings settings, ArchitectureCodec codec, Sampler sampler, Random random, IntConsumer generationDone) {
        return switch (settings.strategy()) {
            case RANDOM -> new RandomSearch(settings.population(), sampler, random);
            case EVOLUTION -> new RegularizedEvolution(settings, codec, sampler, random);
            case NSGA2 -> new Nsga2Generations(codec, sampler, settings, random, generationDone);
        };
    }
}
