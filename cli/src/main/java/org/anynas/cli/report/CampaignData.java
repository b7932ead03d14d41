package org.anynas.cli.report;

import java.time.OffsetDateTime;
import java.util.List;

/** A campaign's row and every candidate it has recorded so far, read in one snapshot. */
public record CampaignData(String name, String status, String strategy, String dataset, String spaceName, long seed,
                           OffsetDateTime created, OffsetDateTime updated, String config, List<Point> points) {

    public CampaignData {
        points = List.copyOf(points);
    }

    /** Successful candidates, one per distinct network (its first visit): revisits share one evaluation. */
    public List<Point> distinctOk() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return points.stream().filter(Point::ok).filter(p -> seen.add(p.hash())).toList();
    }
}
