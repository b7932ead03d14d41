package org.anynas.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The numbers Radosavovic et al. read off an error EDF when they compare design spaces: the sample's size, its best,
 * median and mean error, F(e) (the fraction of networks with error below e) at thresholds shared by every space
 * compared, and an empirical bootstrap of the best network one would find by training {@code k} of them: draw k
 * errors with replacement, keep the smallest, repeat; the mean and the 95 % interval of that minimum.
 *
 * @param below F(e) at each of {@link Comparison#thresholds()}
 */
public record EdfSummary(String name, int n, double min, double median, double mean, List<Double> below,
                         double bestOfKMean, double bestOfKLow, double bestOfKHigh) {

    /** Bootstrap rounds: enough that the reported digits do not move between seeds. */
    static final int ROUNDS = 10_000;

    /** Several samples summarised on common terms: the same thresholds and the same k for every one. */
    public record Comparison(List<Double> thresholds, int k, List<EdfSummary> spaces) {
    }

    /**
     * Summaries of {@code errors} (one list per name, same order), with thresholds at the 10th and 25th percentile of all
     * errors pooled, and k a quarter of the smallest sample (the paper's bootstrap draws 25 %), at least 1.
     */
    public static Comparison compare(List<String> names, List<List<Double>> errors) {
        List<Double> pooled = new ArrayList<>();
        errors.forEach(pooled::addAll);
        pooled.sort(null);
        List<Double> thresholds = pooled.isEmpty() ? List.of() : List.of(quantile(pooled, 0.10), quantile(pooled, 0.25));
        int smallest = errors.stream().mapToInt(List::size).filter(n -> n > 0).min().orElse(1);
        int k = Math.max(1, smallest / 4);
        List<EdfSummary> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(of(names.get(i), errors.get(i), thresholds, k));
        return new Comparison(thresholds, k, List.copyOf(out));
    }

    static EdfSummary of(String name, List<Double> errors, List<Double> thresholds, int k) {
        List<Double> e = new ArrayList<>(errors);
        e.sort(null);
        int n = e.size();
        if (n == 0) return new EdfSummary(name, 0, Double.NaN, Double.NaN, Double.NaN, thresholds.stream().map(t -> Double.NaN).toList(),
                Double.NaN, Double.NaN, Double.NaN);
        List<Double> below = new ArrayList<>();
        for (double t : thresholds) below.add(e.stream().filter(x -> x < t).count() / (double) n);
        // seeded by the sample itself: the same errors always give the same interval
        SplittableRandom random = new SplittableRandom(e.hashCode());
        double[] best = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double m = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) m = Math.min(m, e.get(random.nextInt(n)));
            best[r] = m;
        }
        java.util.Arrays.sort(best);
        // the interval's percentiles read as RankCorrelation's: one quantile rule
        List<Double> sorted = java.util.Arrays.stream(best).boxed().toList();
        double sum = 0;
        for (double b : best) sum += b;
        return new EdfSummary(name, n, e.get(0), quantile(e, 0.5), e.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                List.copyOf(below), sum / ROUNDS, quantile(sorted, 0.025), quantile(sorted, 0.975));
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(List<Double> sorted, double q) {
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.size() - 1, lo + 1);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }

    /** Column titles of {@link #cells}. */
    public static List<String> header(Comparison c) {
        List<String> h = new ArrayList<>(List.of("space", "n", "best error", "median", "mean"));
        for (double t : c.thresholds()) h.add(String.format(Locale.ROOT, "F(%.4f)", t));
        h.add("best of " + c.k() + " (bootstrap mean [95 %])");
        return h;
    }

    public List<Object> cells() {
        List<Object> row = new ArrayList<>(List.of(name, n, f(min), f(median), f(mean)));
        for (double b : below) row.add(Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.2f", b));
        row.add(n == 0 ? "–" : String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", bestOfKMean, bestOfKLow, bestOfKHigh));
        return row;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }
}
