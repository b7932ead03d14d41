package org.anynas.db;

import org.anynas.space.Fidelity;
import org.anynas.trainer.EvaluationResult;

import java.util.List;

/**
 * One stored evaluation: what a trainer measured ({@code result}, the record the trainer returned, carried to the row
 * unchanged) and where it belongs. {@code trainer} says who trained it (see Trainer.identity): with the network,
 * dataset and fidelity, the score cache's key. {@code rungEpochs} of the fidelity's {@code epochs} were trained (the
 * learning-rate schedule is planned for all of them); {@code rung} is that point's place on the campaign's fidelity
 * ladder (0 = first). Read back, the result's params and MACs are the stored architecture's.
 */
public record EvaluationRow(long id, String archHash, String dataset, String trainer, Fidelity fidelity,
                            EvaluationResult result, String host, int rung, int rungEpochs) {

    /** A row not stored yet (id 0). */
    public static EvaluationRow of(String archHash, String dataset, String trainer, Fidelity fidelity, EvaluationResult result,
                                   String host, int rung, int rungEpochs) {
        return new EvaluationRow(0, archHash, dataset, trainer, fidelity, result, host, rung, rungEpochs);
    }

    /** The same row with these learning curves. */
    EvaluationRow withCurves(List<Double> loss, List<Double> acc) {
        return new EvaluationRow(id, archHash, dataset, trainer, fidelity, result.withCurves(loss, acc), host, rung, rungEpochs);
    }

    public boolean ok() {
        return result.ok();
    }
}
