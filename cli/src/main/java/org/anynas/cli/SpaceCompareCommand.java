package org.anynas.cli;

import org.anynas.cli.report.DesignSpaceSection;
import org.anynas.cli.report.EdfSummary;
import org.anynas.cli.report.Snapshot;
import org.anynas.db.CampaignRow;
import org.anynas.db.ResultsStore;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.Campaign;
import org.anynas.space.DesignSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Design spaces compared as Radosavovic et al. compare them: N networks sampled from each space under one budget,
 * trained at one fidelity, and their error EDFs side by side. Each space is a random-search campaign of one
 * database, so the comparison resumes like any campaign and the report and {@code ./nas db} read it.
 */
@Command(name = "compare", description = "Sample N networks from each space under one budget, train them at one fidelity "
        + "(a random-search campaign per space in one database; rerun the same command to resume), and compare the spaces' "
        + "error EDFs: a table here and the EDF figure in the report.")
final class SpaceCompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPACE", arity = "2..*", description = "Built-in names or design-space YAML files, at least two.")
    List<String> spaces;

    @Option(names = "--samples", defaultValue = "32", paramLabel = "N", description = "Networks per space (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--campaign", paramLabel = "FILE", description = "A campaign file whose dataset, fidelity, budget, backend and "
            + "workers the comparison uses (its space, strategy and stop are replaced; default: the quickstart campaign's).")
    Path campaign;

    @Option(names = "--max-params", paramLabel = "N", description = "The budget every space is sampled under (default: the campaign's).")
    Long maxParams;

    @Option(names = "--max-macs", paramLabel = "N", description = "The MAC budget every space is sampled under (default: the campaign's).")
    Long maxMacs;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the samples and the training (default: the campaign's).")
    Long seed;

    @Option(names = "--db", paramLabel = "PATH", defaultValue = "anynas-runs/space-compare",
            description = "Results database; a campaign per space, named after it (default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--report", paramLabel = "DIR", description = "Report folder (default: beside the database).")
    Path report;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (samples < 2) throw new UserError("--samples must be >= 2 (an EDF of one network says nothing), got " + samples);
        List<CampaignConfig> configs = configs();
        for (CampaignConfig c : configs) { // "under one budget" holds only where no space's own budget is tighter
            var own = loaded.computeIfAbsent(c.space(), DesignSpace::load).budget();
            if (!common.quiet && !own.and(c.budget()).equals(c.budget())) {
                System.out.printf(Locale.ROOT, "note: space %s's own budget (max_params %s, max_macs %s at 32×32) is tighter than the "
                        + "comparison's: its networks are sampled under both%n", c.name(), limit(own.maxParams()), limit(own.maxMacs()));
            }
        }
        List<Optional<CampaignRow>> stored = stored(configs);
        Path log = SearchCommand.logFile(db);
        Logging.defer(log, common.verbose);
        CampaignConfig first = configs.get(0);
        if (!common.quiet) {
            System.out.printf(Locale.ROOT, "Comparing %d design spaces: %d networks each, random search on %s at %s, %s; log in %s%n",
                    configs.size(), samples, first.dataset(), first.fidelity().oneLine(), budget(first), log);
        }
        StopSignal stop = StopSignal.install();
        try {
            for (int i = 0; i < configs.size() && !stop.requested(); i++) run(configs.get(i), stored.get(i), stop);
        } finally {
            stop.release();
        }
        if (stop.requested()) {
            System.out.println("Stopped; run the same command again to continue.");
            return 130;
        }
        List<String> names = configs.stream().map(CampaignConfig::name).toList();
        Snapshot snapshot;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            snapshot = Snapshot.read(store, names);
        }
        EdfSummary.Comparison comparison = DesignSpaceSection.comparison(snapshot.campaigns());
        System.out.printf("%nError EDFs compared (validation error of distinct networks; lower is better):%n");
        Table t = new Table(EdfSummary.header(comparison).toArray(String[]::new));
        for (EdfSummary s : comparison.spaces()) t.row(s.cells().toArray());
        t.print(System.out, Table.Format.TABLE);
        Path index = ReportCommand.write(db, names, report, 5).index(); // null: beside the database, named after it
        System.out.printf("%nReport with the EDF figure: %s%n", index.toAbsolutePath());
        return 0;
    }

    /** Each space as given on the command line, loaded once. */
    private final java.util.Map<String, DesignSpace> loaded = new java.util.HashMap<>();

    /** One random-search campaign per space, identical but for the space; checked before anything runs. */
    private List<CampaignConfig> configs() {
        List<CampaignConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String space : spaces) {
            String name = loaded.computeIfAbsent(space, DesignSpace::load).name();
            if (!names.add(name)) {
                throw new UserError("two of the spaces are named '" + name + "': give each YAML file its own name");
            }
            String yaml = "name: \"" + name + "\"\nspace: \"" + space + "\"\nstrategy: random\ndb: \"" + db + "\"\n"
                    + "stop: {max_evaluations: " + samples + ", max_generations: 0, max_minutes: 0, steady_generations: 0}\n"
                    + "multi_fidelity: {min_epochs: 0}\n"
                    + (maxParams == null && maxMacs == null ? "" : "budget: {" + (maxParams == null ? "" : "max_params: " + maxParams)
                    + (maxParams != null && maxMacs != null ? ", " : "") + (maxMacs == null ? "" : "max_macs: " + maxMacs) + "}\n")
                    + (seed == null ? "" : "seed: " + seed + "\nfidelity: {seed: " + seed + "}\n");
            out.add(campaign == null ? CampaignConfig.quickstart(yaml, "space compare") : CampaignConfig.load(campaign, yaml));
        }
        return out;
    }

    /**
     * Each space's campaign as the database holds it (empty where it has not started); a stored one sampled with other
     * settings is refused before anything runs.
     */
    private List<Optional<CampaignRow>> stored(List<CampaignConfig> configs) {
        List<Optional<CampaignRow>> out = new ArrayList<>();
        if (!Files.isRegularFile(ResultsStore.normalise(db))) {
            configs.forEach(c -> out.add(Optional.empty()));
            return out;
        }
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            for (CampaignConfig c : configs) {
                Optional<CampaignRow> row = store.campaign(c.name());
                if (row.isPresent()) {
                    String differs = difference(CampaignConfig.parse(row.get().config(), "stored configuration of " + c.name()), c);
                    if (differs == null && !row.get().space().equals(loaded.computeIfAbsent(c.space(), DesignSpace::load).toYaml())) {
                        differs = "another definition of space " + c.name() + " (it has changed since)";
                    }
                    if (differs != null) {
                        throw new UserError("campaign '" + c.name() + "' in " + store.file() + " was sampled with " + differs
                                + ": compare with these settings in another database (--db), or rerun with the stored ones");
                    }
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Starts the space's campaign, resumes it if it stopped, or leaves it if it is done. */
    private void run(CampaignConfig c, Optional<CampaignRow> stored, StopSignal stop) {
        if (stored.isPresent() && "finished".equals(stored.get().status())) {
            if (!common.quiet) System.out.printf("%nSpace %s: done before (%d networks)%n", c.name(), samples);
            return;
        }
        ConsoleProgress progress = ConsoleProgress.forStdout(common.quiet);
        try {
            if (stored.isEmpty()) {
                if (!common.quiet) System.out.printf("%nSpace %s: %d networks%n", c.name(), samples);
                Campaign.builder(c).listener(progress).stop(stop::requested).onAccepted(Logging::open).build().run();
            } else {
                if (!common.quiet) System.out.printf("%nSpace %s: continuing (%s)%n", c.name(), stored.get().status());
                Campaign.resuming(c.name(), db).listener(progress).stop(stop::requested).onAccepted(Logging::open).build().run();
            }
        } finally {
            progress.finish();
        }
    }

    /** What makes a stored campaign a different experiment from the one asked for, or null. */
    private static String difference(CampaignConfig stored, CampaignConfig asked) {
        if (stored.stop().maxEvaluations() != asked.stop().maxEvaluations()) return stored.stop().maxEvaluations() + " samples";
        if (!stored.dataset().equals(asked.dataset())) return "dataset " + stored.dataset();
        if (!stored.fidelity().equals(asked.fidelity())) return "fidelity " + stored.fidelity().oneLine();
        if (!stored.budget().equals(asked.budget())) return budget(stored);
        if (stored.seed() != asked.seed()) return "seed " + stored.seed();
        if (!Objects.equals(stored.space(), asked.space())) return "space " + stored.space();
        return null;
    }

    private static String budget(CampaignConfig c) {
        return String.format(Locale.ROOT, "budget max_params %s, max_macs %s", limit(c.budget().maxParams()), limit(c.budget().maxMacs()));
    }

    private static String limit(long v) {
        return v == 0 ? "unlimited" : String.format(Locale.ROOT, "%,d", v);
    }
}
