package org.anynas.search;

import org.anynas.space.UserInputException;
import org.anynas.space.Budget;

/**
 * Strategy parameters of a campaign.
 *
 * @param offspringFraction share of the population replaced each generation
 * @param maxAge            NSGA-II: unused; evolution ages by population (the population most recent results breed)
 * @param mutationRate      probability that an offspring gets one architectural edit (Real et al. mutate every child: 1.0)
 * @param crossoverRate     probability that a pair of parents exchanges stages
 * @param objective         the cost NSGA-II minimises next to maximising accuracy
 * @param workers           trainings run in parallel (the candidate sequence does not depend on it)
 * @param inFlight          evolution and random search: candidates in flight at most; candidate n is proposed from
 *                          the results of candidates 1 … n − inFlight (0 = twice the pool's slots, 1 for one slot)
 */
public record SearchSettings(Strategy strategy, int population, double offspringFraction, int tournament, int maxAge,
                             double mutationRate, double crossoverRate, StopCriteria stop, Budget budget, long seed,
                             Objective objective, int workers, int inFlight) {

    public SearchSettings {
        if (strategy == null) throw new UserInputException("strategy is missing (evolution, nsga2 or random)");
        if (population < 2) throw new UserInputException("population must be >= 2, got " + population);
        if (!(offspringFraction > 0 && offspringFraction <= 1)) {
            throw new UserInputException("offspring_fraction must be in (0, 1], got " + offspringFraction);
        }
        if (tournament < 1 || tournament > population) {
            throw new UserInputException("tournament must be in [1, population], got " + tournament);
        }
        if (maxAge < 0) throw new UserInputException("max_age must be >= 0, got " + maxAge);
        if (!(mutationRate >= 0 && mutationRate <= 1)) throw new UserInputException("mutation_rate must be in [0, 1], got " + mutationRate);
        if (!(crossoverRate >= 0 && crossoverRate <= 1)) throw new UserInputException("crossover_rate must be in [0, 1], got " + crossoverRate);
        if (stop == null) throw new UserInputException("stop is missing");
        if (budget == null) budget = Budget.unlimited();
        if (objective == null) objective = Objective.PARAMS;
        if (workers < 1) throw new UserInputException("workers must be >= 1, got " + workers);
        if (inFlight < 0 || inFlight > 4096) throw new UserInputException("in_flight must be 0 (sized to the slots) or 1..4096, got " + inFlight);
    }

    /** Parallel trainings sized to the machine: one per four cores (one DL4J training keeps about four busy). */
    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
    }

    public int offspringPerGeneration() {
        return Math.max(1, (int) Math.round(population * offspringFraction));
    }

}
