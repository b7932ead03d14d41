package org.anynas.cli.report;

import java.util.Comparator;
import java.util.List;

/** The best distinct networks of the report's campaigns: highest accuracy, ties to fewer parameters, then earlier. */
final class TopK {
    private TopK() {
    }

    static List<Point> of(Snapshot s, int k) {
        return ParetoSection.distinct(s).stream()
                .sorted(Comparator.comparingDouble(Point::valAcc).reversed().thenComparingLong(Point::params)
                        .thenComparingLong(Point::id))
                .limit(k).toList();
    }
}
