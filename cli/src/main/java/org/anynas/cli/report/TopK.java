package org.anynas.cli.report;

import java.util.Comparator;
import java.util.List;

/** The best distinct networks of the report's campaigns: highest accuracy, ties to fewer parameters, then earlier. */
final class TopK {
    private TopK() {
    }

    /** A network that several campaigns visited (a shared cached score) is listed once, as its first candidate. */
    static List<Point> of(Snapshot s, int k) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return ParetoSection.distinct(s).stream()
                .sorted(Comparator.comparingDouble(Point::valAcc).reversed().thenComparingLong(Point::params)
                        .thenComparingLong(Point::id))
                .filter(p -> seen.add(p.hash())).limit(k).toList();
    }
}
