package org.anynas.search;

import org.anynas.space.Sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Steady-state regularized evolution (Real et al., 2019): while fewer than {@code population} results are known
 * a child is random; after that its parent wins a tournament among the {@code population} most recent results
 * (aging: old individuals leave whatever their score), it may exchange a stage (or, without stages, genes) with a second winner, and it is
 * mutated. One child at a time, so a slot that frees up gets the next child at once.
 *
 * <p>On a fidelity ladder the population is drawn from the highest rung that at least {@code population} candidates
 * have reached: once there are that many top-rung results, only top-rung candidates are parents, and a child stopped
 * at a low rung never displaces one. Aging and tournaments then run over scores of one fidelity, as in plain
 * evolution, and the ladder only filters children. A network proposed again joins as a young member with its known
 * score, as it does in plain evolution. (Aging over every candidate let children stopped at the first rung fill the
 * population: in the 5-seed ladder benchmark, 279 of ASHA's 470 children had a parent that never reached the top.)
 */
final class RegularizedEvolution {
    private static final int ATTEMPTS = 20;

    private final SearchSettings settings;
    private final Sampler sampler;
    private final ArchitectureMutator<Double> mutator;
    private final ArchitectureCodec codec;

    RegularizedEvolution(SearchSettings settings, ArchitectureCodec codec, Sampler sampler) {
        this.settings = settings;
        this.sampler = sampler;
        this.mutator = new ArchitectureMutator<>(1.0, codec, new Lineage());
        this.codec = codec;
    }

    /**
     * The child for candidate {@code seq}, given the candidates {@code known} (oldest first), each at the highest
     * rung known for it: a parent at a higher rung beats one at a lower rung, whatever the scores.
     */
    Proposal propose(int seq, List<Visit> known, Random random) {
        int generation = (seq - 1) / settings.population() + 1;
        if (known.size() < settings.population()) return Proposal.random(sampler.sample(random, Search.MAX_DRAWS), generation);
        List<Visit> population = population(known, settings.population());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Visit a = tournament(population, random);
            int[] genes = a.genes().clone();
            List<Long> parents = new ArrayList<>(List.of(a.candidateId()));
            String origin = "mutation";
            if (random.nextDouble() < settings.crossoverRate()) {
                Visit b = tournament(population, random);
                if (!b.hash().equals(a.hash())) {
                    genes = StageCrossover.cross(codec.layout(), genes, b.genes(), random);
                    parents.add(b.candidateId());
                    origin = "crossover";
                }
            }
            // a child always differs from its parent: without crossover it is mutated, after one with mutation_rate
            if (origin.equals("mutation") || random.nextDouble() < settings.mutationRate()) {
                int[] mutated = mutator.mutate(genes, random);
                if (mutated == null) continue;
                genes = mutated;
                if (origin.equals("crossover")) origin = "crossover+mutation";
            }
            if (sampler.accepts(genes)) return new Proposal(genes, generation, origin, parents);
        }
        return Proposal.random(sampler.sample(random, Search.MAX_DRAWS), generation); // the population's edits all broke the budget
    }

    /**
     * The {@code size} youngest of the candidates {@code known} (oldest first) that reached the highest rung at least
     * {@code size} of them reached; without a ladder, simply the {@code size} youngest.
     */
    static List<Visit> population(List<Visit> known, int size) {
        int[] epochs = known.stream().mapToInt(Visit::epochs).sorted().toArray();
        int floor = epochs[epochs.length - size]; // the size-th most epochs trained
        List<Visit> reached = known.stream().filter(v -> v.epochs() >= floor).toList();
        return reached.subList(reached.size() - size, reached.size());
    }

    private Visit tournament(List<Visit> population, Random random) {
        Visit best = null;
        for (int i = 0; i < settings.tournament(); i++) {
            Visit v = population.get(random.nextInt(population.size()));
            if (best == null || Visit.FAIR.compare(v, best) > 0) best = v;
        }
        return best;
    }
}
