package org.anynas.db;

/**
 * The score of a network in a campaign (a row of the {@code network_score} view): its first successful candidate
 * at the highest rung it reached there, after {@code rungEpochs} epochs. {@code atTopRung}: it reached the
 * campaign's highest rung ({@code topRungEpochs}); always true without a fidelity ladder.
 */
public record NetworkScore(long candidateId, String campaign, String hash, double valAcc, int rung, int rungEpochs,
                           int topRungEpochs, boolean atTopRung) {
}
