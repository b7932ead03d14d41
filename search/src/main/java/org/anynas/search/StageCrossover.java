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
 * Crossover that exchanges whole stages: for a pair of parents, one stage position both of them use is chosen
 * and all of its genes (block, depth, width, …) are swapped, so offspring inherit complete, working stages.
 */
final class StageCrossover<C extends Comparable<? super C>> implements io.jenetics.Alterer<IntegerGene, C> {
    private final double probability;
    private final int minStages;
    private final Lineage lineage;

    StageCrossover(double probability, int minStages, Lineage lineage) {
        this.probability = probability;
        this.minStages = minStages;
        this.lineage = lineage;
    }

    @Override
    public AltererResult<IntegerGene, C> alter(Seq<Phenotype<IntegerGene, C>> population, long generation) {
        MSeq<Phenotype<IntegerGene, C>> pop = MSeq.of(population);
        RandomGenerator random = RandomRegistry.random();
        int altered = 0;
        for (int i = 0; i + 1 < pop.size(); i += 2) {
            if (random.nextDouble() >= probability) continue;
            Genotype<IntegerGene> a = pop.get(i).genotype();
            Genotype<IntegerGene> b = pop.get(i + 1).genotype();
            int stage = random.nextInt(Math.min(activeStages(a), activeStages(b))); // a stage both parents use
            Genotype<IntegerGene>[] kids = swap(a, b, stage);
            lineage.record(kids[0], "crossover", List.of(a, b), generation);
            lineage.record(kids[1], "crossover", List.of(b, a), generation);
            pop.set(i, Phenotype.of(kids[0], generation));
            pop.set(i + 1, Phenotype.of(kids[1], generation));
            altered += 2;
        }
        return new AltererResult<>(pop.toISeq(), altered);
    }

    private int activeStages(Genotype<IntegerGene> g) {
        return minStages + g.get(GenotypeLayout.Global.STAGES.ordinal()).gene().intValue();
    }

    /** {@code a} with stage {@code stage} (all its genes) taken from {@code b}. */
    static int[] swapStage(int[] a, int[] b, int stage) {
        int[] child = a.clone();
        int from = GenotypeLayout.stageBase(stage);
        System.arraycopy(b, from, child, from, GenotypeLayout.STAGE_GENES);
        return child;
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
