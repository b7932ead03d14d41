package org.anynas.cli.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EdfSummaryTest {

    @Test
    void readsTheEdfAtSharedThresholdsAndBootstrapsTheBest() {
        List<Double> a = List.of(0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.24);
        List<Double> b = List.of(0.20, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27);
        EdfSummary.Comparison c = EdfSummary.compare(List.of("a", "b"), List.of(a, b));
        // pooled and sorted (16 values), numpy's linear quantiles: positions 1.5 and 3.75
        assertThat(c.thresholds().get(0)).isCloseTo(0.13, within(1e-12));
        assertThat(c.thresholds().get(1)).isCloseTo(0.175, within(1e-12));
        assertThat(c.k()).isEqualTo(2);
        EdfSummary sa = c.spaces().get(0);
        EdfSummary sb = c.spaces().get(1);
        assertThat(sa.min()).isEqualTo(0.10);
        assertThat(sa.median()).isCloseTo(0.17, within(1e-12));
        assertThat(sa.mean()).isCloseTo(0.17, within(1e-12));
        assertThat(sa.below()).containsExactly(2 / 8.0, 4 / 8.0);
        assertThat(sb.below()).containsExactly(0.0, 0.0);
        // best of 2 draws with replacement: E[min] = Σ_i e_(i) · P(min is the i-th smallest) = Σ e_(i) ((n−i+1)² − (n−i)²) / n²
        double expected = 0;
        for (int i = 0; i < 8; i++) expected += a.get(i) * (Math.pow(8 - i, 2) - Math.pow(7 - i, 2)) / 64;
        assertThat(sa.bestOfKMean()).isCloseTo(expected, within(0.002));
        assertThat(sa.bestOfKLow()).isEqualTo(0.10);
        assertThat(sa.bestOfKHigh()).isLessThanOrEqualTo(0.24).isGreaterThan(sa.bestOfKMean());
        assertThat(sb.bestOfKMean()).isGreaterThan(sa.bestOfKMean());
        // the same sample always gives the same interval
        assertThat(EdfSummary.compare(List.of("a", "b"), List.of(a, b))).isEqualTo(c);
    }

    @Test
    void anEmptySampleIsShownAsDashes() {
        EdfSummary.Comparison c = EdfSummary.compare(List.of("a", "b"), List.of(List.of(0.3, 0.4), List.of()));
        assertThat(c.spaces().get(1).n()).isZero();
        assertThat(c.spaces().get(1).cells()).contains("–");
        assertThat(c.k()).isEqualTo(1);
    }
}
