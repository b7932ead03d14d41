package org.anynas.db;

/**
 * A row of a ranking: candidate, architecture summary, its measurements and the value of the ranking metric, at
 * the highest fidelity rung the network reached ({@code rungEpochs} epochs trained).
 */
public record RankedCandidate(long candidateId, String campaign, int generation, String archHash, String oneLine,
                              long params, long macs, String status, double valAcc, double valLoss,
                              double trainSeconds, double latencyMs, String metric, double score, int rung, int rungEpochs) {
}
