package org.anynas.campaign;

import org.anynas.data.Dataset;
import org.anynas.space.DesignSpace;
import org.anynas.space.Genome;
import org.anynas.space.Sampler;

/**
 * The refusals a new campaign earns from its file alone, decided before anything is written: its design space,
 * its dataset (and the fidelity's share of it), and a budget that admits at least one architecture of the space
 * for the dataset's input. {@link CampaignRunner#start} then checks the database and opens the backend.
 */
public final class Preflight {
    /**
     * Random networks tried before a campaign is refused (a budget that admits none in these is of no use to a
     * search); the built-in spaces fit at least 48 % of draws at every input size (bench/results/space-input-sizes.md).
     */
    static final int DRAWS = 2_000;

    private Preflight() {
    }

    /**
     * The configuration to run (a folder smaller than the fidelity's sizes reduces them: {@code fitNote} says so, else
     * it is empty), the loaded space and dataset, and the layout of one for the other.
     */
    public record Checked(CampaignConfig config, DesignSpace space, Dataset dataset, Genome layout, String fitNote) {
    }

    public static Checked check(CampaignConfig asGiven) {
        return check(asGiven, org.anynas.data.folder.Progress.NONE);
    }

    /** As above; a folder's first decoding reports to {@code decoding}. */
    public static Checked check(CampaignConfig asGiven, org.anynas.data.folder.Progress decoding) {
        DesignSpace space = DesignSpace.load(asGiven.space());
        Dataset dataset = CampaignRunner.dataset(asGiven, decoding);
        StringBuilder fitNote = new StringBuilder();
        CampaignConfig config = asGiven.fittedTo(dataset, fitNote);
        dataset.check(config.fidelity());
        Genome layout = space.genome(dataset.shape(), dataset.classes());
        // fixed seed: whether a space fits its budget is the space's property, never the campaign seed's
        Sampler.of(layout, config.settings().budget()).requireCandidates(new java.util.Random(0), DRAWS);
        return new Checked(config, space, dataset, layout, fitNote.toString());
    }
}
