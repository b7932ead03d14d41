package org.anynas.db;

/** A candidate the search visited, how it came about, and the evaluation that scored it. */
public record CandidateRow(long id, long campaignId, int seq, int generation, String origin, Long parent1, Long parent2,
                           String genes, String archHash, long evaluationId, boolean cached) {
}
