package org.anynas.search;

import org.anynas.space.UserInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fidelity ladder: rungs about eta apart from {@code minEpochs} up to {@code maxEpochs} (the last rung), all on one
 * learning-rate schedule planned for {@code maxEpochs}. A candidate starts on the first rung and continues from
 * its checkpoint when {@link Rule} promotes it. {@code minEpochs} 0 means no ladder: every candidate trains the
 * whole schedule.
 *
 * @param rule asha (the default: continue when in the top 1/eta of the results known at the rung) or median
 *             (continue when at least eta results are known at the rung and the score is at least their median).
 *             ASHA measured better in the 5-seed ladder benchmark with top-rung parents and no retrained repeats
 *             ({@code bench/results/ladder-budget30-toprung-parents-2026-11-27.md}): plain evolution's final best at
 *             30 % of its compute vs 50 %, final best 0.778 vs 0.774. (The median rule led before those two fixes:
 *             ASHA's weak first-rung children had filled the population and were trained again when repeated.)
 */
public record Ladder(int minEpochs, int maxEpochs, int eta, Rule rule) {

    public enum Rule {
        ASHA, MEDIAN;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Ladder {
        if (rule == null) rule = Rule.ASHA;
        if (minEpochs < 0) throw new UserInputException("multi_fidelity.min_epochs must be >= 0 (0 = no ladder), got " + minEpochs);
        if (maxEpochs < 0) throw new UserInputException("multi_fidelity.max_epochs must be >= 0 (0 = fidelity.epochs), got " + maxEpochs);
        if (eta < 2) throw new UserInputException("multi_fidelity.eta must be >= 2, got " + eta);
        if (minEpochs > 0 && maxEpochs > 0 && minEpochs >= maxEpochs) {
            throw new UserInputException("multi_fidelity.min_epochs " + minEpochs + " must be below max_epochs " + maxEpochs
                    + " (the top rung)");
        }
    }

    /** No ladder: one rung, the whole schedule. */
    public static Ladder none(int epochs) {
        return new Ladder(0, epochs, 3, Rule.ASHA);
    }

    public static Ladder of(int minEpochs, int maxEpochs, int eta, Rule rule) {
        return new Ladder(minEpochs, maxEpochs, eta, rule);
    }

    public boolean enabled() {
        return minEpochs > 0;
    }

    /**
     * Epochs trained at each rung, ascending: {@code maxEpochs / eta^k} rounded, for k = s … 0 with s the most steps of
     * eta from {@code minEpochs} to the top. Counted down from the top, so that each step is about eta whatever the
     * top (1 → 2 → 5 → 9 at eta 2, not 1 → 2 → 4 → 8 → 9 with a last rung that adds one epoch and decides nothing).
     */
    public List<Integer> rungs() {
        List<Integer> out = new ArrayList<>();
        if (enabled()) {
            int steps = 0;
            for (long e = (long) minEpochs * eta; e <= maxEpochs; e *= eta) steps++;
            if (steps == 0) out.add(minEpochs); // less than one step of eta below the top: the first rung as asked
            for (int k = steps; k >= 1; k--) {
                int e = Math.max(minEpochs, (int) Math.round(maxEpochs / Math.pow(eta, k)));
                if (e < maxEpochs && (out.isEmpty() || e > out.get(out.size() - 1))) out.add(e);
            }
        }
        out.add(maxEpochs);
        return List.copyOf(out);
    }

    public int top() {
        return rungs().size() - 1;
    }

    /** "1 → 3 → 9 epochs, eta 3, asha", for headers. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        for (int e : rungs()) sb.append(sb.length() == 0 ? "" : " → ").append(e);
        return sb + " epochs, eta " + eta + ", " + rule.key();
    }
}
