package org.anynas.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which candidate continues to the next rung, decided from the results known so far (never waiting for a rung
 * to fill, so no slot waits): asynchronous successive halving (Li et al., 2020) promotes a network in the top
 * ⌊n/eta⌋ of the n known at its rung; the median rule one whose score is at least the rung's median once eta
 * results are known there. Higher rungs are served first. A network counts once per rung, however often the
 * search proposes it.
 */
final class Promotions {
    private static final Comparator<Visit> BEST_FIRST =
            Comparator.comparingDouble(Visit::fitness).reversed().thenComparingInt(Visit::seq);

    private final Ladder ladder;
    private final int maxEvaluations;
    private final List<Map<String, Visit>> atRung = new ArrayList<>();
    private final List<Set<String>> promoted = new ArrayList<>();

    Promotions(Ladder ladder, int maxEvaluations) {
        this.ladder = ladder;
        this.maxEvaluations = maxEvaluations;
        for (int k = 0; k <= ladder.top(); k++) {
            atRung.add(new LinkedHashMap<>());
            promoted.add(new HashSet<>());
        }
    }

    /** A result the search may now see. */
    void known(Visit v) {
        atRung.get(v.rung()).putIfAbsent(v.hash(), v);
    }

    /** The candidate to promote now (marked as promoted), if any. */
    Optional<Visit> next() {
        for (int k = ladder.top() - 1; k >= 0; k--) {
            List<Visit> ranked = ranked(k);
            int quota = ladder.rule() == Ladder.Rule.ASHA ? ranked.size() / ladder.eta() : medianQuota(ranked);
            for (int i = 0; i < quota; i++) {
                Visit v = ranked.get(i);
                if (v.result().ok() && promoted.get(k).add(v.hash())) return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Whether the network known at rung {@code k} was not promoted and never will be (its checkpoint can go). */
    boolean hopeless(String hash, int k) {
        if (k >= ladder.top() || promoted.get(k).contains(hash)) return false;
        Visit v = atRung.get(k).get(hash);
        if (v == null) return false;
        if (!v.result().ok()) return true;
        if (ladder.rule() == Ladder.Rule.MEDIAN) return false; // the median may still fall below it
        // its rank only grows as results arrive, and at most maxEvaluations results ever reach a rung
        long better = atRung.get(k).values().stream().filter(o -> BEST_FIRST.compare(o, v) < 0).count();
        return better >= maxEvaluations / ladder.eta();
    }

    /** Hashes known at rung {@code k} (for membership checks and reports). */
    List<String> members(int k) {
        return ranked(k).stream().map(Visit::hash).toList();
    }

    private List<Visit> ranked(int k) {
        List<Visit> ranked = new ArrayList<>(atRung.get(k).values());
        ranked.sort(BEST_FIRST);
        return ranked;
    }

    private int medianQuota(List<Visit> ranked) {
        if (ranked.size() < ladder.eta()) return 0;
        double median = ranked.get((ranked.size() - 1) / 2).fitness(); // the upper median when n is even
        int n = 0;
        while (n < ranked.size() && ranked.get(n).fitness() >= median) n++;
        return n;
    }
}
