package org.anynas.search;

import org.anynas.space.UserInputException;

/** Whichever comes first ends the search; 0 disables a criterion (max_evaluations is required). */
public record StopCriteria(int maxEvaluations, int maxGenerations, double maxMinutes, int steadyGenerations) {
    public StopCriteria {
        if (maxEvaluations < 1) throw new UserInputException("stop.max_evaluations must be >= 1, got " + maxEvaluations);
        if (maxGenerations < 0) throw new UserInputException("stop.max_generations must be >= 0, got " + maxGenerations);
        if (!(maxMinutes >= 0)) throw new UserInputException("stop.max_minutes must be >= 0, got " + maxMinutes);
        if (steadyGenerations < 0) throw new UserInputException("stop.steady_generations must be >= 0, got " + steadyGenerations);
    }

    public static StopCriteria evaluations(int n) {
        return new StopCriteria(n, 0, 0, 0);
    }
}
