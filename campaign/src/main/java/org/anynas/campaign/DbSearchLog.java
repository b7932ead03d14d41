package org.anynas.campaign;

import org.anynas.search.ArchitectureCodec;
import org.anynas.search.GenerationStats;
import org.anynas.search.SearchLog;
import org.anynas.search.Visit;

import org.anynas.db.CandidateRow;
import org.anynas.db.EvaluationRow;
import org.anynas.db.ResultsStore;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link SearchLog} on the H2 results database, for one campaign and dataset. */
public final class DbSearchLog implements SearchLog {
    private final ResultsStore store;
    private final long campaignId;
    private final String dataset;
    private final String trainer;
    private final boolean useCache;
    private final Map<Integer, ResultsStore.StoredCandidate> stored = new HashMap<>();
    private final String host;

    /** @param trainer the identity of who trains this campaign's candidates (part of the cache key) */
    public DbSearchLog(ResultsStore store, long campaignId, String dataset, String trainer, boolean useCache) {
        this.store = store;
        this.campaignId = campaignId;
        this.dataset = dataset;
        this.trainer = trainer;
        this.useCache = useCache;
        for (ResultsStore.StoredCandidate s : store.storedCandidates(campaignId)) { // one query, however long the campaign
            // a candidate stopped by Ctrl-C is trained again on resume; record() replaces its row
            if (s.evaluation().result().status() != Status.INTERRUPTED) stored.put(s.candidate().seq(), s);
        }
        this.host = hostName();
    }

    /** Candidates an earlier run of this campaign already committed. */
    public int storedCount() {
        return stored.size();
    }

    @Override
    public Optional<Visit> replay(int seq) {
        ResultsStore.StoredCandidate s = stored.get(seq);
        if (s == null) return Optional.empty();
        CandidateRow c = s.candidate();
        Architecture arch = s.architecture();
        List<Long> parents = java.util.stream.Stream.of(c.parent1(), c.parent2()).filter(java.util.Objects::nonNull).toList();
        return Optional.of(new Visit(c.id(), c.seq(), c.generation(), c.origin(), parents, ArchitectureCodec.parse(c.genes()),
                arch, c.archHash(), s.evaluation().result(), c.cached(), true, s.evaluation().rung(), s.evaluation().rungEpochs(), 0));
    }

    @Override
    public Optional<EvaluationResult> cached(String archHash, Fidelity fidelity, int epochs) {
        return reusable(archHash, fidelity, epochs).map(EvaluationRow::result);
    }

    /**
     * An earlier evaluation to reuse: from any campaign with the cache on, else from this campaign only. A campaign
     * never trains the same network at the same fidelity twice: a repeat of this trainer and seed would only cost
     * compute (evolution proposes repeats: one ladder benchmark campaign, cache off, trained 67 networks 162 times).
     */
    private Optional<EvaluationRow> reusable(String archHash, Fidelity fidelity, int epochs) {
        return useCache ? store.cached(archHash, dataset, trainer, fidelity, epochs)
                : store.cachedIn(campaignId, archHash, dataset, trainer, fidelity, epochs);
    }

    @Override
    public void training(int seq, Architecture arch, String hash, int rung, int epochs, int fromEpoch) {
        var g = arch.graph();
        store.trainingStarted(campaignId, seq, hash, arch.oneLine(), g.params(), g.macs(), rung, epochs, fromEpoch);
    }

    @Override
    public long record(Visit v, Fidelity fidelity) {
        EvaluationRow row = v.cached() ? reusable(v.hash(), fidelity, v.epochs()).orElseThrow()
                : EvaluationRow.of(v.hash(), dataset, trainer, fidelity, v.result(), host, v.rung(), v.epochs());
        Long parent1 = v.parents().isEmpty() ? null : v.parents().get(0);
        Long parent2 = v.parents().size() < 2 ? null : v.parents().get(1);
        return store.recordCandidate(campaignId, v.seq(), v.generation(), v.origin(), parent1, parent2,
                ArchitectureCodec.text(v.genes()), v.architecture(), row, v.cached()).id();
    }

    @Override
    public void generation(GenerationStats s) {
        store.recordGeneration(campaignId, s.generation(), s.evaluated(), s.cached(), s.failed(),
                Double.isFinite(s.bestAcc()) ? s.bestAcc() : null, Double.isFinite(s.medianAcc()) ? s.medianAcc() : null,
                s.bestParams(), s.bestMacs(), s.elapsedSeconds());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
