package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.space.Fidelity;

import java.util.Optional;

/**
 * What the search needs from the results database, kept small so search tests can run against memory:
 * replaying the candidates of an interrupted run, the score cache, and committing each visit.
 */
public interface SearchLog {

    /** The candidate stored under {@code seq} by an earlier run of this campaign, if any. */
    Optional<Visit> replay(int seq);

    /**
     * An earlier score for this network after {@code epochs} epochs of a run at this fidelity on this dataset: from
     * this campaign always, from any campaign when the campaign's cache is on.
     */
    Optional<EvaluationResult> cached(String archHash, Fidelity fidelity, int epochs);

    /**
     * Candidate {@code seq} starts training to {@code epochs} (from {@code fromEpoch}: a promotion continues), so that
     * the database can show what is training now; {@link #record} ends it.
     */
    default void training(int seq, org.anynas.space.Architecture arch, String hash, int rung, int epochs, int fromEpoch) {
    }

    /** Commits a new visit as soon as it is scored; returns the candidate's id. */
    long record(Visit visit, Fidelity fidelity);

    /** Per-generation summary (for the progress table and later analysis). */
    void generation(GenerationStats stats);
}
