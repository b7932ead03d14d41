package org.anynas.cli.report;

import java.util.Comparator;
import java.util.List;

/**
 * The best distinct networks of the report's campaigns: those trained to their campaign's top rung first (all of
 * them, without a fidelity ladder), then each rung below; within that, highest accuracy, ties to fewer parameters,
 * then earlier.
 */
final class TopK {
    private TopK() {
    }

    /** A network that several campaigns visited (a shared cached score) is listed once, as its first candidate. */
    static List<Point> of(Snapshot s, int k) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Map<String, Integer> top = new java.util.HashMap<>();
        s.campaigns().forEach(c -> top.put(c.name(), c.topRung()));
        return s.campaigns().stream().flatMap(c -> c.distinctOk().stream())
                .sorted(Comparator.<Point>comparingInt(p -> top.get(p.campaign()) - p.rung())
                        .thenComparing(Comparator.comparingDouble(Point::valAcc).reversed()).thenComparingLong(Point::params)
                        .thenComparingLong(Point::id))
                .filter(p -> seen.add(p.hash())).limit(k).toList();
    }
}
