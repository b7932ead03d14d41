package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;

import java.util.concurrent.CompletableFuture;

/**
 * Where evaluations run: the search submits candidates and consumes results as they complete; the pool runs
 * them asynchronously on its slots (CPU threads, PyTorch worker processes, and later other executors). The
 * one seam between proposing candidates and training them.
 */
public interface EvaluationPool extends AutoCloseable {

    /** Trains one candidate (its whole schedule) on the next free slot. The future never fails for a bad candidate (see Trainer). */
    default CompletableFuture<EvaluationResult> submit(Architecture architecture, Fidelity fidelity) {
        return submit(architecture, fidelity, TrainingLeg.whole(fidelity));
    }

    /** Trains one leg of a candidate's run (a fidelity rung) on the next free slot. */
    CompletableFuture<EvaluationResult> submit(Architecture architecture, Fidelity fidelity, TrainingLeg leg);

    /** How many candidates train at once. */
    int slots();

    /** Who trains (backend, version, device kind, numerics): part of the score cache's key. */
    String trainerIdentity();

    /** Busy slot-seconds over slots × seconds since the first submission (1.0 = no slot ever idle). */
    double utilisation();

    /** Stops the slots (worker processes included); evaluations in flight end as they can. */
    @Override
    void close();
}
