package org.anynas.search;

import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run's generation statistics: steady-state strategies count a generation per population results, NSGA-II
 * reports its own; each summary goes to the log and the listener. Also the steady-generations stop criterion's count.
 */
final class Generations {
    private final int population;
    private final List<Visit> visits; // the run's visits, in order (read only)
    private final Consumer<GenerationStats> report;
    private final long started = System.nanoTime();
    private double bestSoFar = Double.NEGATIVE_INFINITY;
    private int steadyBlocks;

    Generations(int population, List<Visit> visits, Consumer<GenerationStats> report) {
        this.population = population;
        this.visits = visits;
        this.report = report;
    }

    /** Steady-state: after each result, every population results make a generation. */
    void counted() {
        if (visits.size() % population != 0) return;
        List<Visit> gen = visits.subList(visits.size() - population, visits.size());
        double best = gen.stream().mapToDouble(Visit::fitness).max().orElse(Search.FAILED_FITNESS);
        steadyBlocks = best > bestSoFar ? 0 : steadyBlocks + 1;
        bestSoFar = Math.max(bestSoFar, best);
        done(visits.size() / population, gen);
    }

    /** Steady-state: the last, partial generation when the run ends. */
    void last() {
        int last = visits.size() % population;
        if (last > 0) done((visits.size() - 1) / population + 1, visits.subList(visits.size() - last, visits.size()));
    }

    /** NSGA-II: generation {@code g} ended. */
    void ended(int g) {
        done(g, visits.stream().filter(v -> v.generation() == g).toList());
    }

    /** Generations in a row without a better best (steady_generations). */
    int steady() {
        return steadyBlocks;
    }

    double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }

    private void done(int generation, List<Visit> gen) {
        if (gen.isEmpty()) return;
        List<Visit> ok = gen.stream().filter(v -> v.result().ok()).toList();
        double[] accs = ok.stream().mapToDouble(v -> v.result().valAccuracy()).sorted().toArray();
        Visit best = ok.stream().max(Comparator.comparingDouble(v -> v.result().valAccuracy())).orElse(null);
        report.accept(new GenerationStats(generation, gen.size(),
                (int) gen.stream().filter(Visit::cached).count(), gen.size() - ok.size(),
                best == null ? Double.NaN : best.result().valAccuracy(),
                accs.length == 0 ? Double.NaN : (accs.length % 2 == 1 ? accs[accs.length / 2]
                        : (accs[accs.length / 2 - 1] + accs[accs.length / 2]) / 2),
                best == null ? 0 : best.result().params(), best == null ? 0 : best.result().macs(), elapsed(), visits.size()));
    }
}
