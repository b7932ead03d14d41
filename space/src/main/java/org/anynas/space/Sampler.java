package org.anynas.space;

import java.util.random.RandomGenerator;

/** Seeded uniform sampling of valid, within-budget architectures of a layout; counts rejected draws. */
public final class Sampler {
    private final GenotypeLayout layout;
    private final Budget budget;
    private long rejected;

    private Sampler(GenotypeLayout layout, Budget budget) {
        this.layout = layout;
        this.budget = budget;
    }

    public static Sampler of(GenotypeLayout layout) {
        return new Sampler(layout, layout.space().budget());
    }

    public static Sampler of(GenotypeLayout layout, Budget extra) {
        return new Sampler(layout, layout.space().budget().and(extra));
    }

    public int[] randomGenes(RandomGenerator random) {
        int[] genes = new int[layout.length()];
        for (int i = 0; i < genes.length; i++) genes[i] = random.nextInt(layout.size(i));
        return genes;
    }

    /** Draws until a valid architecture within budget comes up; gives up after {@code maxDraws}. */
    public int[] sample(RandomGenerator random, int maxDraws) {
        for (int draw = 0; draw < maxDraws; draw++) {
            int[] genes = randomGenes(random);
            if (accepts(genes)) return genes;
            rejected++;
        }
        throw new UserInputException("no valid architecture within budget in " + maxDraws
                + " draws: the space's choices or budgets exclude almost everything");
    }

    public boolean accepts(int[] genes) {
        try {
            return budget.violation(layout.decode(genes).graph()) == null;
        } catch (InvalidArchitectureException | IllegalArgumentException e) {
            return false;
        }
    }

    public long rejected() {
        return rejected;
    }

    public Budget budget() {
        return budget;
    }
}
