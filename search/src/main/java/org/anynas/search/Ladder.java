package org.anynas.search;

import org.anynas.space.UserInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fidelity ladder: rungs at {@code minEpochs × eta^k} epochs up to {@code maxEpochs} (the last rung), all on one
 * learning-rate schedule planned for {@code maxEpochs}. A candidate starts on the first rung and continues from
 * its checkpoint when {@link Rule} promotes it. {@code minEpochs} 0 means no ladder: every candidate trains the
 * whole schedule.
 *
 * @param rule asha (continue when in the top 1/eta of the results known at the rung) or median (continue when
 *             at least eta results are known at the rung and the score is at least their median)
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

    /** Epochs trained at each rung, ascending; the last is {@code maxEpochs}. */
    public List<Integer> rungs() {
        List<Integer> out = new ArrayList<>();
        if (enabled()) {
            for (long e = minEpochs; e < maxEpochs; e *= eta) out.add((int) e);
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
