package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.space.Fidelity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link SearchLog}: search tests run in milliseconds without a database. */
class MemoryLog implements SearchLog {
    final List<Visit> recorded = new ArrayList<>();
    final Map<Integer, Visit> stored = new HashMap<>();
    final Map<String, EvaluationResult> cache = new HashMap<>();
    final List<GenerationStats> generations = new ArrayList<>();

    @Override
    public Optional<Visit> replay(int seq) {
        return Optional.ofNullable(stored.get(seq));
    }

    @Override
    public synchronized Optional<EvaluationResult> cached(String archHash, Fidelity fidelity, int epochs) {
        return Optional.ofNullable(cache.get(archHash + fidelity.key() + "@" + epochs));
    }

    @Override
    public synchronized long record(Visit visit, Fidelity fidelity) {
        recorded.add(visit);
        if (reusable(visit.result())) cache.putIfAbsent(visit.hash() + fidelity.key() + "@" + visit.epochs(), visit.result());
        return recorded.size();
    }

    /** As the database's cache: failures of the run (timeout, oom, interrupted) are not answers. */
    private static boolean reusable(EvaluationResult r) {
        return java.util.List.of("ok", "diverged", "invalid").contains(r.status().key());
    }

    @Override
    public void generation(GenerationStats stats) {
        generations.add(stats);
    }
}
