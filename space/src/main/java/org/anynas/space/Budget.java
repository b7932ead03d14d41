package org.anynas.space;

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

    /** Null when the graph fits, otherwise why not. */
    public String violation(OpGraph g) {
        if (maxParams > 0 && g.params() > maxParams) return "params " + g.params() + " > budget " + maxParams;
        if (maxMacs > 0 && g.macs() > maxMacs) return "MACs " + g.macs() + " > budget " + maxMacs;
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
