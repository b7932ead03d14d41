package org.anynas.search;

import io.jenetics.AltererResult;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import org.anynas.space.Architecture;
import org.anynas.space.Genome;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.GenotypeLayout.Global;
import org.anynas.space.GenotypeLayout.StageGene;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Architecture-aware mutation: with probability {@code probability} an offspring gets exactly one
 * architectural edit — change one stage's block type, widen/narrow it, deepen/shallow it, change its kernel,
 * toggle its SE, change its bottleneck or downsampling, add/remove a stage, or change a stem/head gene —
 * or change its group width (spaces with X blocks) — drawn again until the decoded network actually differs (genes of
 * inactive stages never count as a mutation). A genome without stages (RegNet) gets one gene changed: an ordered
 * one (d, w_0, w_a, w_m, g, b) to a neighbouring choice, any other to another choice.
 */
final class ArchitectureMutator<C extends Comparable<? super C>> implements io.jenetics.Alterer<IntegerGene, C> {
    private static final int ATTEMPTS = 20;

    /** GROUP_WIDTH last: spaces without a group-width gene draw among the others, as before it existed. */
    enum Edit { BLOCK, WIDTH, DEPTH, KERNEL, SE, BOTTLENECK, DOWNSAMPLE, STAGE_COUNT, GLOBAL, GROUP_WIDTH }

    private static final Edit[] WITHOUT_GROUP_WIDTH = Arrays.copyOf(Edit.values(), Edit.GROUP_WIDTH.ordinal());

    private final double probability;
    private final ArchitectureCodec codec;
    private final Lineage lineage;

    ArchitectureMutator(double probability, ArchitectureCodec codec, Lineage lineage) {
        this.probability = probability;
        this.codec = codec;
        this.lineage = lineage;
    }

    @Override
    public AltererResult<IntegerGene, C> alter(Seq<Phenotype<IntegerGene, C>> population, long generation) {
        MSeq<Phenotype<IntegerGene, C>> pop = MSeq.of(population);
        RandomGenerator random = RandomRegistry.random();
        int altered = 0;
        for (int i = 0; i < pop.size(); i++) {
            if (random.nextDouble() >= probability) continue;
            Genotype<IntegerGene> parent = pop.get(i).genotype();
            int[] genes = ArchitectureCodec.genes(parent);
            int[] child = mutate(genes, random);
            if (child == null) continue;
            Genotype<IntegerGene> gt = codec.genotype(child);
            lineage.record(gt, "mutation", List.of(parent), generation);
            pop.set(i, Phenotype.of(gt, generation));
            altered++;
        }
        return new AltererResult<>(pop.toISeq(), altered);
    }

    /** One edit that changes the network, or null if none was found in a few attempts. */
    int[] mutate(int[] genes, RandomGenerator random) {
        Genome layout = codec.layout();
        Architecture before = layout.decode(genes);
        if (layout.stageGenes() == 0) return mutateGene(genes, before, random);
        Edit[] edits = layout.stageGenes() > StageGene.GROUP_WIDTH.ordinal() ? Edit.values() : WITHOUT_GROUP_WIDTH;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int[] child = genes.clone();
            int stages = before.stages().size();
            int stage = random.nextInt(stages);
            int base = layout.stageBase(stage);
            switch (edits[random.nextInt(edits.length)]) {
                case BLOCK -> redraw(child, base + StageGene.BLOCK.ordinal(), layout, random);
                case WIDTH -> step(child, base + StageGene.WIDTH.ordinal(), layout, random);
                case DEPTH -> step(child, base + StageGene.DEPTH.ordinal(), layout, random);
                case KERNEL -> redraw(child, base + StageGene.KERNEL.ordinal(), layout, random);
                case SE -> redraw(child, base + StageGene.SE.ordinal(), layout, random);
                case BOTTLENECK -> step(child, base + StageGene.BOTTLENECK.ordinal(), layout, random);
                case DOWNSAMPLE -> redraw(child, base + StageGene.DOWNSAMPLE.ordinal(), layout, random);
                case STAGE_COUNT -> step(child, Global.STAGES.ordinal(), layout, random);
                case GLOBAL -> redraw(child, 1 + random.nextInt(Global.values().length - 1), layout, random);
                case GROUP_WIDTH -> step(child, base + StageGene.GROUP_WIDTH.ordinal(), layout, random);
            }
            if (!layout.decode(child).equals(before)) return child;
        }
        return null;
    }

    /** One gene of a genome without stages changed so that the network differs (or that it stays valid: it may not). */
    private int[] mutateGene(int[] genes, Architecture before, RandomGenerator random) {
        Genome layout = codec.layout();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int[] child = genes.clone();
            int i = random.nextInt(layout.length());
            if (layout.ordered(i)) step(child, i, layout, random);
            else redraw(child, i, layout, random);
            try {
                if (!layout.decode(child).equals(before)) return child;
            } catch (org.anynas.space.InvalidArchitectureException e) {
                // the rule gives no network of the space: try another edit
            }
        }
        return null;
    }

    /** Any other choice of the gene. */
    private static void redraw(int[] genes, int i, Genome layout, RandomGenerator random) {
        int n = layout.size(i);
        if (n > 1) genes[i] = (genes[i] + 1 + random.nextInt(n - 1)) % n;
    }

    /** The neighbouring choice (choices are ordered: wider/narrower, deeper/shallower). */
    private static void step(int[] genes, int i, Genome layout, RandomGenerator random) {
        int n = layout.size(i);
        if (n < 2) return;
        int next = genes[i] + (random.nextBoolean() ? 1 : -1);
        genes[i] = next < 0 ? 1 : next >= n ? n - 2 : next;
    }
}
