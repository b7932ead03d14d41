package org.anynas.space;

import java.util.Locale;

/** Hard limits a candidate must respect before it may be trained; 0 means unlimited. */
public record Budget(long maxParams, long maxMacs) {
    public Budget {
        if (maxParams < 0) throw new UserInputException("budget.max_params must be >= 0, got " + maxParams);
        if (maxMacs < 0) throw new UserInputException("budget.max_macs must be >= 0, got " + maxMacs);
    }

    public static Budget unlimited() {
        return new Budget(0, 0);
    }

    public static Budget of(long maxParams, long maxMacs) {
        return new Budget(maxParams, maxMacs);
    }

    /** Null when the graph fits, otherwise which limit it breaks: {@code MACs 41,200,000 > max_macs 30,000,000}. */
    public String violation(OpGraph g) {
        if (maxParams > 0 && g.params() > maxParams) return String.format(Locale.ROOT, "params %,d > max_params %,d", g.params(), maxParams);
        if (maxMacs > 0 && g.macs() > maxMacs) return String.format(Locale.ROOT, "MACs %,d > max_macs %,d", g.macs(), maxMacs);
        return null;
    }

    /** The tighter of two budgets, limit by limit. */
    public Budget and(Budget other) {
        return new Budget(tighter(maxParams, other.maxParams), tighter(maxMacs, other.maxMacs));
    }

    private static long tighter(long a, long b) {
        if (a == 0) return b;
        if (b == 0) return a;
        return Math.min(a, b);
    }
}
