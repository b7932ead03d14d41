package org.anynas.trainer;

import java.util.List;

/**
 * What one proxy training measured. Accuracy and losses are NaN when the run failed before evaluation.
 *
 * @param trainLoss        mean training loss of each epoch (the learning curve)
 * @param latencyMs        inference latency at batch 1, ms per image
 * @param inferencePerSec  inference throughput at a large batch, images per second
 * @param valBalancedAccuracy mean per-class recall on the validation images (NaN where not measured)
 */
public record EvaluationResult(Status status, String message, double valAccuracy, double valLoss,
                               List<Double> trainLoss, List<Double> valAccuracyCurve, double trainSeconds,
                               double trainImagesPerSec, double latencyMs, double inferencePerSec,
                               long params, long macs, String device, double valBalancedAccuracy) {

    public EvaluationResult {
        trainLoss = List.copyOf(trainLoss);
        valAccuracyCurve = List.copyOf(valAccuracyCurve);
    }

    /** Without a balanced accuracy (NaN). */
    public EvaluationResult(Status status, String message, double valAccuracy, double valLoss,
                            List<Double> trainLoss, List<Double> valAccuracyCurve, double trainSeconds,
                            double trainImagesPerSec, double latencyMs, double inferencePerSec,
                            long params, long macs, String device) {
        this(status, message, valAccuracy, valLoss, trainLoss, valAccuracyCurve, trainSeconds, trainImagesPerSec, latencyMs,
                inferencePerSec, params, macs, device, Double.NaN);
    }

    public static EvaluationResult failed(Status status, String message, List<Double> trainLoss, double seconds,
                                          long params, long macs, String device) {
        return new EvaluationResult(status, message, Double.NaN, Double.NaN, trainLoss, List.of(), seconds,
                Double.NaN, Double.NaN, Double.NaN, params, macs, device);
    }

    /** The same result, trained where {@code device} says. */
    public EvaluationResult withDevice(String device) {
        return new EvaluationResult(status, message, valAccuracy, valLoss, trainLoss, valAccuracyCurve, trainSeconds,
                trainImagesPerSec, latencyMs, inferencePerSec, params, macs, device, valBalancedAccuracy);
    }

    /** The same result with these learning curves (a stored result reads them from rows of their own). */
    public EvaluationResult withCurves(List<Double> loss, List<Double> accuracy) {
        return new EvaluationResult(status, message, valAccuracy, valLoss, loss, accuracy, trainSeconds, trainImagesPerSec,
                latencyMs, inferencePerSec, params, macs, device, valBalancedAccuracy);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
