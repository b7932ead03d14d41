package org.anynas.search;

import io.jenetics.AltererResult;
import io.jenetics.Chromosome;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import org.anynas.space.GenotypeLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Crossover that exchanges whole stages: for a pair of parents, one stage position is chosen and all of its
 * genes (block, depth, width, …) are swapped, so offspring inherit complete, working stages.
 */
final class StageCrossover implements io.jenetics.Alterer<IntegerGene, Double> {
    private final double probability;
    private final int maxStages;

    StageCrossover(double probability, int maxStages) {
        this.probability = probability;
        this.maxStages = maxStages;
    }

    @Override
    public AltererResult<IntegerGene, Double> alter(Seq<Phenotype<IntegerGene, Double>> population, long generation) {
        MSeq<Phenotype<IntegerGene, Double>> pop = MSeq.of(population);
        RandomGenerator random = RandomRegistry.random();
        int altered = 0;
        for (int i = 0; i + 1 < pop.size(); i += 2) {
            if (random.nextDouble() >= probability) continue;
            int stage = random.nextInt(maxStages);
            Genotype<IntegerGene>[] kids = swap(pop.get(i).genotype(), pop.get(i + 1).genotype(), stage);
            pop.set(i, Phenotype.of(kids[0], generation));
            pop.set(i + 1, Phenotype.of(kids[1], generation));
            altered += 2;
        }
        return new AltererResult<>(pop.toISeq(), altered);
    }

    @SuppressWarnings("unchecked")
    private static Genotype<IntegerGene>[] swap(Genotype<IntegerGene> a, Genotype<IntegerGene> b, int stage) {
        List<Chromosome<IntegerGene>> ca = new ArrayList<>(a.length());
        List<Chromosome<IntegerGene>> cb = new ArrayList<>(b.length());
        for (int i = 0; i < a.length(); i++) {
            ca.add(a.get(i));
            cb.add(b.get(i));
        }
        int from = GenotypeLayout.stageBase(stage);
        for (int i = from; i < from + GenotypeLayout.STAGE_GENES; i++) {
            ca.set(i, b.get(i));
            cb.set(i, a.get(i));
        }
        return new Genotype[]{Genotype.of(ca), Genotype.of(cb)};
    }
}
