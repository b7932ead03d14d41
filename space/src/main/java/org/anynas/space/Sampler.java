package org.anynas.space;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Seeded uniform sampling of valid, within-budget architectures of a layout. Counts the genotypes it rejects
 * and keeps the first one's reason, so a user can be told once why candidates are being turned down.
 */
public final class Sampler {
    private final Genome layout;
    private final Budget extra;
    private final Budget budget;
    private long rejected;
    private String firstRejection;

    private Sampler(Genome layout, Budget extra) {
        this.layout = layout;
        this.extra = extra;
        this.budget = layout.budget().and(extra);
    }

    /** Within the space's budget for the layout's input size. */
    public static Sampler of(Genome layout) {
        return new Sampler(layout, Budget.unlimited());
    }

    /** Within the space's budget for the layout's input size and {@code extra} (a campaign's own budget). */
    public static Sampler of(Genome layout, Budget extra) {
        return new Sampler(layout, extra);
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
        }
        throw new UserInputException("no valid architecture within budget in " + maxDraws
                + " draws: the space's choices or budgets exclude almost everything (first rejected: " + firstRejection + ")");
    }

    /**
     * Refuses, with one line, a space that yields no candidate within budget for the layout's input in
     * {@code draws} random genotypes; the search itself would only give up after far more draws.
     */
    public void requireCandidates(RandomGenerator random, int draws) {
        for (int draw = 0; draw < draws; draw++) {
            if (accepts(randomGenes(random))) return;
        }
        throw new UserInputException(String.format(Locale.ROOT, "design space '%s' has no candidate for %s inputs: "
                        + "none of %,d random networks is valid within budget (first rejected: %s); widen the budget or the choices",
                layout.space().name(), layout.input(), draws, firstRejection));
    }

    public boolean accepts(int[] genes) {
        String why = rejection(genes);
        if (why == null) return true;
        rejected++;
        if (firstRejection == null) firstRejection = why;
        return false;
    }

    /** Null when the genes decode to a valid network within budget, otherwise one line saying why not. */
    public String rejection(int[] genes) {
        OpGraph g;
        try {
            g = layout.decode(genes).graph();
        } catch (InvalidArchitectureException | IllegalArgumentException e) {
            return "invalid network: " + e.getMessage();
        }
        String why = extra.violation(g);
        if (why != null) return why + " (campaign budget)";
        why = layout.budget().violation(g);
        if (why == null) return null;
        InputFit fit = layout.fit();
        return why + " (budget of space " + layout.space().name()
                + (fit.macsScale() > 1 && why.startsWith("MACs")
                ? String.format(Locale.ROOT, ", max_macs ×%.2f for %s inputs", fit.macsScale(), layout.input())
                : " for " + layout.input() + " inputs") + ")";
    }

    /** Genotypes turned down so far (invalid or over budget). */
    public long rejected() {
        return rejected;
    }

    /** Why the first genotype was turned down, or null while none was. */
    public String firstRejection() {
        return firstRejection;
    }

    public Budget budget() {
        return budget;
    }
}
