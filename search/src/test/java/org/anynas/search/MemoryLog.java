package org.anynas.search;

import org.anynas.evaluator.EvaluationResult;
import org.anynas.space.Fidelity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link SearchLog}: search tests run in milliseconds without a database. */
final class MemoryLog implements SearchLog {
    final List<Visit> recorded = new ArrayList<>();
    final Map<Integer, Visit> stored = new HashMap<>();
    final Map<String, EvaluationResult> cache = new HashMap<>();
    final List<GenerationStats> generations = new ArrayList<>();

    @Override
    public Optional<Visit> replay(int seq) {
        return Optional.ofNullable(stored.get(seq));
    }

    @Override
    public synchronized Optional<EvaluationResult> cached(String archHash, Fidelity fidelity) {
        return Optional.ofNullable(cache.get(archHash + fidelity.key()));
    }

    @Override
    public synchronized long record(Visit visit, Fidelity fidelity) {
        recorded.add(visit);
        cache.putIfAbsent(visit.hash() + fidelity.key(), visit.result());
        return recorded.size();
    }

    @Override
    public void generation(GenerationStats stats) {
        generations.add(stats);
    }
}
