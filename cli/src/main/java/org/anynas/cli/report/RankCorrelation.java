package org.anynas.cli.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How well one score ranks networks the way another does (a proxy score against full training): Kendall's τ-b and
 * Spearman's ρ (both with ties, as scipy computes them), each with a 95 % percentile-bootstrap interval over the
 * networks (10,000 resamples of the pairs, seeded by the data).
 */
public record RankCorrelation(int n, double kendall, double kendallLow, double kendallHigh,
                              double spearman, double spearmanLow, double spearmanHigh) {

    static final int ROUNDS = 10_000;

    public static RankCorrelation of(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " scores against " + y.length);
        int n = x.length;
        if (n < 3) return new RankCorrelation(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] taus = new double[ROUNDS];
        double[] rhos = new double[ROUNDS];
        SplittableRandom random = new SplittableRandom(31L * Arrays.hashCode(x) + Arrays.hashCode(y));
        double[] bx = new double[n];
        double[] by = new double[n];
        int kept = 0;
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                bx[i] = x[j];
                by[i] = y[j];
            }
            double t = kendall(bx, by);
            double s = spearman(bx, by);
            if (Double.isNaN(t) || Double.isNaN(s)) continue; // a resample of one repeated network has no ranking
            taus[kept] = t;
            rhos[kept++] = s;
        }
        double[] t = Arrays.copyOf(taus, kept);
        double[] s = Arrays.copyOf(rhos, kept);
        Arrays.sort(t);
        Arrays.sort(s);
        return new RankCorrelation(n, kendall(x, y), percentile(t, 0.025), percentile(t, 0.975),
                spearman(x, y), percentile(s, 0.025), percentile(s, 0.975));
    }

    /** Kendall's τ-b: (concordant − discordant) / √((pairs − ties in x)(pairs − ties in y)). */
    static double kendall(double[] x, double[] y) {
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int a = Double.compare(x[i], x[j]);
                int b = Double.compare(y[i], y[j]);
                if (a == 0 && b == 0) {
                    tiesX++;
                    tiesY++;
                } else if (a == 0) {
                    tiesX++;
                } else if (b == 0) {
                    tiesY++;
                } else if (a == b) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        long pairs = (long) x.length * (x.length - 1) / 2;
        double denominator = Math.sqrt((double) (pairs - tiesX) * (pairs - tiesY));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }

    /** Spearman's ρ: Pearson's correlation of the average ranks. */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElseThrow();
        double my = Arrays.stream(ry).average().orElseThrow();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** 1-based ranks, ties sharing their average rank. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
            double average = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[order[k]] = average;
            i = j + 1;
        }
        return r;
    }

    private static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : EdfSummary.quantile(java.util.Arrays.stream(sorted).boxed().toList(), q);
    }

    /** {@code τ 0.59 [0.21, 0.87], ρ 0.82 [0.40, 0.97], n 8} */
    public String oneLine() {
        return String.format(Locale.ROOT, "Kendall τ %.2f [%.2f, %.2f], Spearman ρ %.2f [%.2f, %.2f], n %d (95 %% bootstrap intervals)",
                kendall, kendallLow, kendallHigh, spearman, spearmanLow, spearmanHigh, n);
    }
}
