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
        Path path = db != null ? db : DbCommand.DbOptions.newest(Path.of("anynas-runs"));
        long start = System.nanoTime();
        Snapshot snapshot;
        try (ResultsStore store = ResultsStore.openExisting(path)) {
            snapshot = Snapshot.read(store, campaigns);
        }
        Path dir = out != null ? out : defaultFolder(ResultsStore.normalise(path), snapshot);
        Path index = Report.write(snapshot, dir, k, Graphviz.find());
        if (!quiet) {
            System.out.printf(java.util.Locale.ROOT, "Report of %d candidate%s written in %.1f s: %s%n", snapshot.points().size(),
                    snapshot.points().size() == 1 ? "" : "s", (System.nanoTime() - start) / 1e9, index.toAbsolutePath());
        }
        return 0;
    }

    /** Writes one campaign's report into {@code dir}; returns its index.html. */
    static Path write(Path db, String campaign, Path dir) {
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            return Report.write(Snapshot.read(store, List.of(campaign)), dir, 5, Graphviz.find());
        }
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
