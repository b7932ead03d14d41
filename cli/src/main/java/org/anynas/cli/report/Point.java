package org.anynas.cli.report;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One candidate of a campaign as the report sees it: where it came from, how its evaluation went, its
 * network, its genes (the architecture table's gene columns, null where a stage does not exist) and curves, and
 * for a campaign on a fidelity ladder the rung it was trained to (0 = first) after how many epochs.
 */
public record Point(String campaign, long id, int seq, int generation, String origin, Long parent1, Long parent2,
                    boolean cached, OffsetDateTime created, String status, double valAcc, double valLoss, long params,
                    long macs, double latencyMs, double trainSeconds, double trainImgPerSec, String host, String device,
                    String trainer, String hash, String oneLine, String archJson, Map<String, Object> genes,
                    List<Double> trainLoss, List<Double> valAccCurve, int rung, int rungEpochs) {

    public Point {
        genes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(genes));
        trainLoss = List.copyOf(trainLoss);
        valAccCurve = List.copyOf(valAccCurve);
    }

    public boolean ok() {
        return "ok".equals(status) && Double.isFinite(valAcc);
    }

    public double valError() {
        return 1 - valAcc;
    }
}
