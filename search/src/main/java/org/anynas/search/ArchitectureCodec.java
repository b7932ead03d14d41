package org.anynas.search;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.engine.Codec;
import io.jenetics.util.Factory;
import org.anynas.space.Architecture;
import org.anynas.space.Genome;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The seam between Jenetics and the design space: one single-gene {@link IntegerChromosome} per layout gene
 * (each with its own range), decoded through the space's {@link Genome}.
 */
public final class ArchitectureCodec implements Codec<Architecture, IntegerGene> {
    private final Genome layout;
    private final Genotype<IntegerGene> template;

    private ArchitectureCodec(Genome layout) {
        this.layout = layout;
        List<IntegerChromosome> chromosomes = new ArrayList<>(layout.length());
        for (int i = 0; i < layout.length(); i++) chromosomes.add(IntegerChromosome.of(0, layout.size(i), 1));
        this.template = Genotype.of(chromosomes);
    }

    public static ArchitectureCodec of(Genome layout) {
        return new ArchitectureCodec(layout);
    }

    public Genome layout() {
        return layout;
    }

    @Override
    public Factory<Genotype<IntegerGene>> encoding() {
        return template;
    }

    @Override
    public Function<Genotype<IntegerGene>, Architecture> decoder() {
        return gt -> layout.decode(genes(gt));
    }

    public static int[] genes(Genotype<IntegerGene> gt) {
        int[] genes = new int[gt.length()];
        for (int i = 0; i < genes.length; i++) genes[i] = gt.get(i).gene().intValue();
        return genes;
    }

    public Genotype<IntegerGene> genotype(int[] genes) {
        List<IntegerChromosome> chromosomes = new ArrayList<>(genes.length);
        for (int i = 0; i < genes.length; i++) {
            chromosomes.add(IntegerChromosome.of(IntegerGene.of(genes[i], 0, layout.size(i))));
        }
        return Genotype.of(chromosomes);
    }

    /** Genes as stored in the database: comma-separated indices. */
    public static String text(int[] genes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < genes.length; i++) sb.append(i == 0 ? "" : ",").append(genes[i]);
        return sb.toString();
    }

    public static int[] parse(String text) {
        String[] parts = text.split(",");
        int[] genes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) genes[i] = Integer.parseInt(parts[i].trim());
        return genes;
    }
}
