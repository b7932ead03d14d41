package org.anynas.cli.report;

import java.time.OffsetDateTime;
import java.util.List;

/** A campaign's row and every candidate it has recorded so far, read in one snapshot. */
public record CampaignData(String name, String status, String strategy, String dataset, String spaceName, long seed,
                           OffsetDateTime created, OffsetDateTime updated, String config, List<Point> points) {

    public CampaignData {
        points = List.copyOf(points);
    }

    /**
     * Successful candidates, one per distinct network: revisits share one evaluation, and on a fidelity ladder a
     * network counts at the highest rung it reached (the score the search ranks it by), its first visit there.
     */
    public List<Point> distinctOk() {
        java.util.Map<String, Point> highest = new java.util.LinkedHashMap<>();
        for (Point p : points) {
            if (p.ok()) highest.merge(p.hash(), p, (a, b) -> b.rung() > a.rung() ? b : a);
        }
        return List.copyOf(highest.values());
    }

    /** Successful candidates at the first rung, one per network: every network's score at the same fidelity. */
    public List<Point> distinctFirstRung() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return points.stream().filter(p -> p.ok() && p.rung() == 0).filter(p -> seen.add(p.hash())).toList();
    }

    /** The highest rung any candidate reached: 0 for a campaign without a ladder. */
    public int topRung() {
        return points.stream().mapToInt(Point::rung).max().orElse(0);
    }

    /** Whether the campaign trains on a fidelity ladder (some candidate went past the first rung). */
    public boolean ladder() {
        return topRung() > 0;
    }
}
