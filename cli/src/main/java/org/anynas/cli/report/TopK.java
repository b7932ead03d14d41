package org.anynas.cli.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The best distinct networks of the report's campaigns, as {@code db top} ranks them (ResultsStore's ranking over the
 * network_score view, read with the snapshot): each network at the highest rung it reached, scores after more epochs
 * first; within that, highest accuracy, ties to fewer parameters, then earlier. A network that several campaigns
 * scored is listed once.
 */
final class TopK {
    private TopK() {
    }

    static List<Point> of(Snapshot s, int k) {
        Map<Long, Point> byId = new HashMap<>();
        for (Point p : s.points()) byId.put(p.id(), p);
        return s.ranking().stream().map(byId::get).filter(java.util.Objects::nonNull).limit(k).toList();
    }
}
