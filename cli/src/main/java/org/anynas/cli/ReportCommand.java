package org.anynas.cli;

import org.anynas.cli.report.Graphviz;
import org.anynas.cli.report.Report;
import org.anynas.cli.report.Snapshot;
import org.anynas.db.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", description = "Write an HTML report with figures (progress, Pareto fronts, design-space EDFs, "
        + "learning curves, lineage, top networks, setup) for one campaign or several compared; works while a search runs.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--db", paramLabel = "PATH", description = "Database file (default: the newest under ./anynas-runs).")
    Path db;

    @Option(names = "--campaign", paramLabel = "NAME", description = "A campaign to show; repeat it to compare several (default: every campaign in the database).")
    List<String> campaigns = List.of();

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: beside the database, named after the campaign).")
    Path out;

    @Option(names = "-k", defaultValue = "5", description = "Networks in the top table and learning curves (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Override
    public Integer call() {
        if (k < 1) throw new UserError("-k must be >= 1, got " + k);
        Logging.configure(null, false);
        long start = System.nanoTime();
        Written w = write(db != null ? db : DbCommand.DbOptions.newest(Path.of("anynas-runs")), campaigns, out, k);
        if (!quiet) {
            System.out.printf(java.util.Locale.ROOT, "Report of %d candidate%s written in %.1f s: %s%n", w.candidates(),
                    w.candidates() == 1 ? "" : "s", (System.nanoTime() - start) / 1e9, w.index().toAbsolutePath());
        }
        return 0;
    }

    /** What a report run wrote: its index.html and how many candidates it shows. */
    record Written(Path index, int candidates) {
    }

    /**
     * Reads the campaigns (all when none is named) in one snapshot and writes their report into {@code dir}
     * (null: the default folder beside the database). The command and the quickstart both come here.
     */
    static Written write(Path db, List<String> campaigns, Path dir, int k) {
        Snapshot snapshot;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            snapshot = Snapshot.read(store, campaigns);
        }
        Path folder = dir != null ? dir : defaultFolder(ResultsStore.normalise(db), snapshot);
        return new Written(Report.write(snapshot, folder, k, Graphviz.find()), snapshot.points().size());
    }

    /** {@code anynas-runs/NAME-report} for one campaign, {@code anynas-runs/DB-report} for several. */
    static Path defaultFolder(Path dbFile, Snapshot s) {
        String base = s.campaigns().size() == 1 ? s.campaigns().get(0).name()
                : dbFile.getFileName().toString().replace(".mv.db", "");
        Path parent = dbFile.toAbsolutePath().getParent();
        return parent.resolve(base + "-report");
    }

    /** The command that writes a campaign's report, as the end of a search prints it. */
    static String command(Path db, String campaign) {
        return "./nas report --db " + db + " --campaign " + campaign;
    }
}
