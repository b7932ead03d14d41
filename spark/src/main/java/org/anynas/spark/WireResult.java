package org.anynas.spark;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a task sends back to the driver: the candidate's result as plain serializable fields, the checksum of
 * the data the executor trained on, where it ran, and the executor-side seconds it took. {@code problem} is set
 * instead of a result when the executor itself cannot train (its dataset does not load): a fault of the
 * cluster, not of the candidate.
 */
record WireResult(String status, String message, double valAccuracy, double valLoss, ArrayList<Double> trainLoss,
                  ArrayList<Double> valAccuracyCurve, double trainSeconds, double trainImagesPerSec, double latencyMs,
                  double inferencePerSec, long params, long macs, String device, String datasetChecksum, String host,
                  double taskSeconds, String problem, double valBalancedAccuracy) implements Serializable {

    static WireResult of(EvaluationResult r, String checksum, String host, double taskSeconds) {
        return new WireResult(r.status().key(), r.message(), r.valAccuracy(), r.valLoss(), new ArrayList<>(r.trainLoss()),
                new ArrayList<>(r.valAccuracyCurve()), r.trainSeconds(), r.trainImagesPerSec(), r.latencyMs(), r.inferencePerSec(),
                r.params(), r.macs(), r.device(), checksum, host, taskSeconds, null, r.valBalancedAccuracy());
    }

    static WireResult problem(String problem, String host) {
        return new WireResult("failed", "", Double.NaN, Double.NaN, new ArrayList<>(), new ArrayList<>(), 0, 0, 0, 0, 0, 0,
                "", "", host, 0, problem, Double.NaN);
    }

    EvaluationResult result() {
        return new EvaluationResult(Status.of(status), message, valAccuracy, valLoss, List.copyOf(trainLoss), List.copyOf(valAccuracyCurve),
                trainSeconds, trainImagesPerSec, latencyMs, inferencePerSec, params, macs, device, valBalancedAccuracy);
    }
}
