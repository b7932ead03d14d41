package org.anynas.search;

import org.anynas.evaluator.data.Dataset;
import org.anynas.space.Budget;
import org.anynas.space.DesignSpace;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.InvalidArchitectureException;
import org.anynas.space.OpGraph;
import org.anynas.space.Sampler;
import org.anynas.space.UserInputException;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The refusals a new campaign earns from its file alone, decided before anything is written: its design space,
 * its dataset (and the fidelity's share of it), and a budget that admits at least one architecture of the space
 * for the dataset's input. {@link CampaignRunner#start} then checks the database and opens the backend.
 */
public final class Preflight {
    /** Random draws that must hold one architecture within budget; a budget that admits fewer is of no use to a search. */
    static final int DRAWS = 10_000;

    private Preflight() {
    }

    /**
     * The configuration to run (a folder smaller than the fidelity's sizes reduces them: {@code fitNote} says so, else
     * it is empty), the loaded space and dataset, and the layout of one for the other.
     */
    public record Checked(CampaignConfig config, DesignSpace space, Dataset dataset, GenotypeLayout layout, String fitNote) {
    }

    public static Checked check(CampaignConfig asGiven) {
        return check(asGiven, org.anynas.evaluator.data.folder.Progress.NONE);
    }

    /** As above; a folder's first decoding reports to {@code decoding}. */
    public static Checked check(CampaignConfig asGiven, org.anynas.evaluator.data.folder.Progress decoding) {
        DesignSpace space = DesignSpace.load(asGiven.space());
        Dataset dataset = CampaignRunner.dataset(asGiven, decoding);
        StringBuilder fitNote = new StringBuilder();
        CampaignConfig config = asGiven.fittedTo(dataset, fitNote);
        dataset.check(config.fidelity());
        GenotypeLayout layout = space.layout(dataset.shape(), dataset.classes());
        budgetRefusal(layout, config.settings().budget(), DRAWS).ifPresent(why -> {
            throw new UserInputException(why);
        });
        return new Checked(config, space, dataset, layout, fitNote.toString());
    }

    /**
     * Why no architecture of {@code layout} fits its space's budget and {@code extra} in {@code draws} seeded draws
     * (naming the smallest one drawn, so the user sees what a budget must allow), or empty at the first that fits.
     */
    static Optional<String> budgetRefusal(GenotypeLayout layout, Budget extra, int draws) {
        Sampler sampler = Sampler.of(layout, extra);
        Budget budget = sampler.budget();
        SplittableRandom random = new SplittableRandom(0); // fixed: the answer depends on the space, never on the campaign seed
        long fewestParams = Long.MAX_VALUE;
        long fewestMacs = Long.MAX_VALUE;
        for (int i = 0; i < draws; i++) {
            OpGraph graph;
            try {
                graph = layout.decode(sampler.randomGenes(random)).graph();
            } catch (InvalidArchitectureException | IllegalArgumentException e) {
                continue;
            }
            if (budget.violation(graph) == null) return Optional.empty();
            fewestParams = Math.min(fewestParams, graph.params());
            fewestMacs = Math.min(fewestMacs, graph.macs());
        }
        String space = "space " + layout.space().name() + " for input " + layout.input();
        if (fewestParams == Long.MAX_VALUE) {
            return Optional.of("no valid architecture of " + space + " in " + draws + " random draws: check the space's choices");
        }
        return Optional.of(String.format(java.util.Locale.ROOT, "budget %s admits no architecture of %s: none of %d random draws fits "
                + "(the smallest drawn have %,d params and %,d MACs); raise the budget or choose a smaller space",
                describe(budget), space, draws, fewestParams, fewestMacs));
    }

    private static String describe(Budget b) {
        String params = b.maxParams() > 0 ? "max_params " + b.maxParams() : "";
        String macs = b.maxMacs() > 0 ? "max_macs " + b.maxMacs() : "";
        return params.isEmpty() || macs.isEmpty() ? params + macs : params + ", " + macs;
    }
}
