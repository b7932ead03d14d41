package org.anynas.search;

/** Summary of one generation (or, for random search, one block of samples). */
public record GenerationStats(int generation, int evaluated, int cached, int failed, double bestAcc, double medianAcc,
                              long bestParams, long bestMacs, double elapsedSeconds, int totalVisited) {
}
