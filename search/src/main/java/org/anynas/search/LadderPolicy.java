package org.anynas.search;

import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Fidelity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run's fidelity ladder: which candidate continues to the next rung ({@link Promotions}), the epochs of each
 * rung, the leg a candidate trains, and the checkpoints a leg continues from, deleted as soon as none can
 * continue from them. Without a ladder every candidate trains the whole schedule and nothing is written.
 */
final class LadderPolicy {
    private final Ladder ladder;
    private final Checkpoints checkpoints;
    private final Promotions promotions;

    LadderPolicy(Ladder ladder, Path checkpointDir, int maxEvaluations) {
        this.ladder = ladder;
        this.checkpoints = ladder.enabled() ? Checkpoints.in(checkpointDir) : null;
        this.promotions = new Promotions(ladder, maxEvaluations);
    }

    /** Epochs trained at rung {@code rung}. */
    int epochs(int rung) {
        return ladder.rungs().get(rung);
    }

    /** The promotion to train now, if one is due (promotions come before new candidates). */
    Optional<Proposal> promotion(int generation) {
        return promotions.next().map(v -> Proposal.promotion(v, generation));
    }

    /** A result the search may now see; the checkpoints nothing can continue from any more are deleted. */
    void known(Visit v) {
        promotions.known(v);
        if (checkpoints == null) return;
        List<Integer> rungs = ladder.rungs();
        if (v.rung() > 0) checkpoints.delete(v.hash(), rungs.get(v.rung() - 1)); // continued (or retrained) past it
        for (int k = 0; k < ladder.top(); k++) {
            for (String h : promotions.members(k)) if (promotions.hopeless(h, k)) checkpoints.delete(h, rungs.get(k));
        }
    }

    /** The whole schedule, or one rung's leg, continuing from the checkpoint below when there is one. */
    TrainingLeg leg(Proposal p, String hash, int epochs, Fidelity fidelity) {
        if (!ladder.enabled()) return TrainingLeg.whole(fidelity);
        Path save = p.rung() < ladder.top() ? checkpoints.file(hash, epochs) : null;
        Path below = p.from() == null ? null : checkpoints.file(hash, p.from().epochs());
        return below != null && Files.isRegularFile(below)
                ? TrainingLeg.continuing(p.from().epochs(), below, epochs, save)
                : TrainingLeg.of(epochs, save); // first rung, or no checkpoint (a cached rung below): train from scratch
    }

    /** The run ended: its checkpoints go, unless it was stopped (a resume continues from them). */
    void ended(boolean stopped) {
        if (checkpoints != null && !stopped) checkpoints.deleteAll();
    }
}
