package org.anynas.cli.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankCorrelationTest {

    // scipy 1.10: kendalltau(x, y).correlation, spearmanr(x, y).correlation (ties in both)
    private static final double[] X = {0.81, 0.83, 0.83, 0.85, 0.80, 0.86, 0.84, 0.82};
    private static final double[] Y = {0.90, 0.91, 0.92, 0.93, 0.905, 0.925, 0.94, 0.90};

    @Test
    void matchesScipyWithTies() {
        RankCorrelation r = RankCorrelation.of(X, Y);
        assertThat(r.kendall()).isCloseTo(0.5925925925925926, within(1e-12));
        assertThat(r.spearman()).isCloseTo(0.8192771084337348, within(1e-12));
        assertThat(r.kendallLow()).isLessThan(r.kendall());
        assertThat(r.kendallHigh()).isGreaterThan(r.kendall()).isLessThanOrEqualTo(1.0);
        assertThat(r.spearmanLow()).isLessThan(r.spearman());
        assertThat(RankCorrelation.of(X, Y)).isEqualTo(r);
    }

    @Test
    void perfectAndReversedOrders() {
        double[] a = {1, 2, 3, 4, 5};
        double[] b = {10, 20, 30, 40, 50};
        double[] c = {5, 4, 3, 2, 1};
        assertThat(RankCorrelation.of(a, b).kendall()).isEqualTo(1.0);
        assertThat(RankCorrelation.of(a, b).spearman()).isCloseTo(1.0, within(1e-12));
        assertThat(RankCorrelation.of(a, c).kendall()).isEqualTo(-1.0);
        assertThat(RankCorrelation.ranks(new double[]{3, 1, 3, 2})).containsExactly(3.5, 1, 3.5, 2);
        assertThat(RankCorrelation.of(new double[]{1, 2}, new double[]{1, 2}).kendall()).isNaN();
    }
}
