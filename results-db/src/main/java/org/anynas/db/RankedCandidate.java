package org.anynas.db;

/** A row of a ranking: candidate, architecture summary and its score. */
public record RankedCandidate(long candidateId, String campaign, int generation, String archHash, String oneLine,
                              long params, long macs, String status, double valAcc, double valLoss,
                              double trainSeconds, double latencyMs) {
}
