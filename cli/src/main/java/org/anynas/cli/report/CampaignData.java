package org.anynas.cli.report;

import org.anynas.db.NetworkScore;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's row, every candidate it has recorded so far, and the score of each of its networks (the database's
 * network_score view), read in one snapshot.
 */
public record CampaignData(String name, String status, String strategy, String dataset, String spaceName, long seed,
                           OffsetDateTime created, OffsetDateTime updated, String config, List<Point> points,
                           List<NetworkScore> scores, String datasetSummary) {

    public CampaignData {
        points = List.copyOf(points);
        scores = List.copyOf(scores);
    }

    /**
     * Successful candidates, one per distinct network, each the network's score in the campaign: revisits share one
     * evaluation, and on a fidelity ladder a network counts at the highest rung it reached, its first visit there.
     * In the order the networks first appeared.
     */
    public List<Point> distinctOk() {
        return scored(false);
    }

    /** The same, of the networks that reached the campaign's top rung (all of them without a ladder): what fronts compare. */
    public List<Point> distinctAtTopRung() {
        return scored(true);
    }

    private List<Point> scored(boolean topRungOnly) {
        Map<String, Long> score = new HashMap<>();
        for (NetworkScore s : scores) if (s.atTopRung() || !topRungOnly) score.put(s.hash(), s.candidateId());
        Map<Long, Point> byId = new HashMap<>();
        for (Point p : points) byId.put(p.id(), p);
        Map<String, Point> out = new LinkedHashMap<>();
        for (Point p : points) {
            Long id = score.get(p.hash());
            if (id != null && byId.containsKey(id)) out.putIfAbsent(p.hash(), byId.get(id));
        }
        return List.copyOf(out.values());
    }

    /** Successful candidates at the first rung, one per network: every network's score at the same fidelity. */
    public List<Point> distinctFirstRung() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return points.stream().filter(p -> p.ok() && p.rung() == 0).filter(p -> seen.add(p.hash())).toList();
    }

    /** Each network's first successful score at {@code rung}, by network hash, in the order the networks appeared there. */
    public Map<String, Double> scoresAtRung(int rung) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Point p : points) if (p.ok() && p.rung() == rung) out.putIfAbsent(p.hash(), p.valAcc());
        return out;
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
