package org.anynas.search;

import io.jenetics.AltererResult;
import io.jenetics.Chromosome;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import org.anynas.space.Genome;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Crossover that exchanges whole stages: for a pair of parents, one stage position both of them use is chosen
 * and all of its genes (block, depth, width, …) are swapped, so offspring inherit complete, working stages. A genome
 * without stages (RegNet's few rule parameters) gets uniform crossover: each gene swapped with probability 1/2.
 */
final class StageCrossover<C extends Comparable<? super C>> implements io.jenetics.Alterer<IntegerGene, C> {
    private final double probability;
    private final Genome genome;
    private final Lineage lineage;

    StageCrossover(double probability, Genome genome, Lineage lineage) {
        this.probability = probability;
        this.genome = genome;
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
            Genotype<IntegerGene>[] kids = genome.stageGenes() > 0
                    ? swap(a, b, random.nextInt(Math.min(activeStages(a), activeStages(b)))) // a stage both parents use
                    : swap(a, b, uniformMask(genome.length(), random));
            lineage.record(kids[0], "crossover", List.of(a, b), generation);
            lineage.record(kids[1], "crossover", List.of(b, a), generation);
            pop.set(i, Phenotype.of(kids[0], generation));
            pop.set(i + 1, Phenotype.of(kids[1], generation));
            altered += 2;
        }
        return new AltererResult<>(pop.toISeq(), altered);
    }

    private int activeStages(Genotype<IntegerGene> g) {
        return genome.activeStages(ArchitectureCodec.genes(g));
    }

    /** Which genes a uniform crossover swaps: each with probability 1/2. */
    static boolean[] uniformMask(int length, RandomGenerator random) {
        boolean[] mask = new boolean[length];
        for (int i = 0; i < length; i++) mask[i] = random.nextBoolean();
        return mask;
    }

    /** The genes of stage {@code stage}. */
    private static boolean[] stageMask(Genome genome, int stage) {
        boolean[] mask = new boolean[genome.length()];
        int from = genome.stageBase(stage);
        for (int i = from; i < from + genome.stageGenes(); i++) mask[i] = true;
        return mask;
    }

    /**
     * A child of {@code a} and {@code b}: with stages, {@code a} with one stage both use taken from {@code b};
     * without, {@code a} with each gene taken from {@code b} with probability 1/2.
     */
    static int[] cross(Genome genome, int[] a, int[] b, RandomGenerator random) {
        boolean[] mask = genome.stageGenes() > 0
                ? stageMask(genome, random.nextInt(Math.min(genome.activeStages(a), genome.activeStages(b))))
                : uniformMask(genome.length(), random);
        int[] child = a.clone();
        for (int i = 0; i < mask.length; i++) if (mask[i]) child[i] = b[i];
        return child;
    }

    private Genotype<IntegerGene>[] swap(Genotype<IntegerGene> a, Genotype<IntegerGene> b, int stage) {
        return swap(a, b, stageMask(genome, stage));
    }

    @SuppressWarnings("unchecked")
    private static Genotype<IntegerGene>[] swap(Genotype<IntegerGene> a, Genotype<IntegerGene> b, boolean[] mask) {
        List<Chromosome<IntegerGene>> ca = new ArrayList<>(a.length());
        List<Chromosome<IntegerGene>> cb = new ArrayList<>(b.length());
        for (int i = 0; i < a.length(); i++) {
            ca.add(mask[i] ? b.get(i) : a.get(i));
            cb.add(mask[i] ? a.get(i) : b.get(i));
        }
        return new Genotype[]{Genotype.of(ca), Genotype.of(cb)};
    }
}
