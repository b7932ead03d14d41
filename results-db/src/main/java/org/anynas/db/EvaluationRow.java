package org.anynas.db;

import org.anynas.space.Fidelity;

import java.util.List;

/**
 * One evaluation's measurements as the database stores them; metrics are NaN where the run failed.
 * {@code trainer} says who trained it (see Trainer.identity): with the network, dataset and fidelity, the
 * score cache's key. {@code rungEpochs} of the fidelity's {@code epochs} were trained (the learning-rate schedule is
 * planned for all of them); {@code rung} is that point's place on the campaign's fidelity ladder (0 = first).
 * {@code valBalancedAcc} is the mean per-class recall on the validation images (NaN for rows from before it was kept).
 */
public record EvaluationRow(long id, String archHash, String dataset, String trainer, Fidelity fidelity, String status, String message,
                            double valAcc, double valLoss, double trainSeconds, double trainImgPerSec, double latencyMs,
                            double inferImgPerSec, String host, String device, List<Double> trainLoss,
                            List<Double> valAccCurve, int rung, int rungEpochs, double valBalancedAcc) {

    public EvaluationRow {
        trainLoss = List.copyOf(trainLoss);
        valAccCurve = List.copyOf(valAccCurve);
    }

    /** Without a balanced accuracy (NaN). */
    public EvaluationRow(long id, String archHash, String dataset, String trainer, Fidelity fidelity, String status, String message,
                         double valAcc, double valLoss, double trainSeconds, double trainImgPerSec, double latencyMs,
                         double inferImgPerSec, String host, String device, List<Double> trainLoss,
                         List<Double> valAccCurve, int rung, int rungEpochs) {
        this(id, archHash, dataset, trainer, fidelity, status, message, valAcc, valLoss, trainSeconds, trainImgPerSec, latencyMs,
                inferImgPerSec, host, device, trainLoss, valAccCurve, rung, rungEpochs, Double.NaN);
    }

    public EvaluationRow withId(long newId) {
        return new EvaluationRow(newId, archHash, dataset, trainer, fidelity, status, message, valAcc, valLoss, trainSeconds,
                trainImgPerSec, latencyMs, inferImgPerSec, host, device, trainLoss, valAccCurve, rung, rungEpochs, valBalancedAcc);
    }

    /** The same row with these learning curves. */
    public EvaluationRow withCurves(List<Double> loss, List<Double> acc) {
        return new EvaluationRow(id, archHash, dataset, trainer, fidelity, status, message, valAcc, valLoss, trainSeconds,
                trainImgPerSec, latencyMs, inferImgPerSec, host, device, loss, acc, rung, rungEpochs, valBalancedAcc);
    }

    public boolean ok() {
        return "ok".equals(status);
    }
}
