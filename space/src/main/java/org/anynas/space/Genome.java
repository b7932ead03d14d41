package org.anynas.space;

import java.util.List;

/**
 * A fixed-length integer genotype of a design space at one input shape: gene {@code i} is an index into one choice
 * list ({@code 0 … size(i) − 1}). The search's operators work on this: {@link GenotypeLayout} has genes per stage
 * (the stage-aware operators use {@link #stageGenes()}), {@link RegNetLayout} has the few parameters of the RegNet
 * rule. {@code decode(encode(a)).equals(a)} for every canonical architecture the genome decodes to.
 */
public interface Genome {

    DesignSpace space();

    Shape input();

    int classes();

    /** How the space fits this input size. */
    InputFit fit();

    /** The space's budget for this input size ({@link InputFit#budget}). */
    default Budget budget() {
        return fit().budget(space().budget());
    }

    int length();

    /** Number of choices of gene {@code i}. */
    int size(int i);

    /** Whether gene {@code i}'s choices are ordered (smaller … larger), so a mutation may step to a neighbour. */
    boolean ordered(int i);

    /** log10 of the number of distinct genotypes (active genes only). */
    double log10Size();

    /** The network; throws {@link InvalidArchitectureException} where the genes give no network of the space. */
    Architecture decode(int[] genes);

    /** Genes decoding to {@code a}; a one-line {@link UserInputException} when {@code a} is not of this genome. */
    int[] encode(Architecture a);

    /** Genes per stage, each stage's genes contiguous from {@link #stageBase}; 0 when genes are not per stage. */
    default int stageGenes() {
        return 0;
    }

    /** Index of stage {@code stage}'s first gene (genomes with {@link #stageGenes()} > 0). */
    default int stageBase(int stage) {
        throw new UnsupportedOperationException("genes are not per stage");
    }

    /** Stages the genes use (genomes with {@link #stageGenes()} > 0). */
    default int activeStages(int[] genes) {
        throw new UnsupportedOperationException("genes are not per stage");
    }

    /** Refuses, in one line, an architecture built for another input shape or class count than this genome's. */
    default void requireInput(Architecture canon) {
        if (!canon.input().equals(input()) || canon.classes() != classes()) {
            throw new UserInputException("architecture is for " + canon.input() + "/" + canon.classes()
                    + " classes, layout for " + input() + "/" + classes());
        }
    }

    /** The first stem-stride choice that decodes to {@code stride} at this input. */
    default int stemStrideGene(int stride) {
        List<Integer> strides = space().stemStrides();
        for (int i = 0; i < strides.size(); i++) {
            if (fit().stemStride(strides.get(i)) == stride) return i;
        }
        throw new UserInputException("stem stride " + stride + " is not a choice of this space at input " + input()
                + " (choices " + strides + ", " + fit().describe() + ")");
    }

    /** The gene value (index) of {@code value} among {@code choices}; one line naming the gene when it is not one. */
    static <T> int choice(String gene, List<T> choices, T value) {
        int i = choices.indexOf(value);
        if (i < 0) throw new UserInputException(gene + " " + value + " is not a choice of this space " + choices);
        return i;
    }

    /** Checks the genes' count and ranges. */
    default void check(int[] genes) {
        if (genes.length != length()) {
            throw new UserInputException("genotype has " + genes.length + " genes, layout has " + length());
        }
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0 || genes[i] >= size(i)) {
                throw new UserInputException("gene " + i + " = " + genes[i] + " is outside [0, " + size(i) + ")");
            }
        }
    }
}
