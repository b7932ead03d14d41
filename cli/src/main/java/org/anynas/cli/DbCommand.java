package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "db", description = "Query a results database.", subcommands = {DbCommand.Top.class, DbCommand.Campaigns.class})
final class DbCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options every db command takes. */
    static class DbOptions {
        @Option(names = "--db", paramLabel = "PATH", description = "Database file, with or without .mv.db (default: the newest under ./anynas-runs).")
        Path db;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        String format;

        Table.Format format() {
            try {
                return Table.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("--format must be table, csv or json, got '" + format + "'");
            }
        }

        ResultsStore open() {
            Logging.configure(null, false);
            Path path = db;
            if (path == null) {
                path = newest(Path.of("anynas-runs"));
                if (format() == Table.Format.TABLE) System.out.println("database: " + path);
            }
            return ResultsStore.openExisting(path);
        }

        private static Path newest(Path runs) {
            if (!Files.isDirectory(runs)) throw new UserError("no ./anynas-runs directory here; pass --db PATH");
            try (Stream<Path> s = Files.list(runs)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".mv.db"))
                        .max(Comparator.comparing(p -> p.toFile().lastModified()))
                        .orElseThrow(() -> new UserError("no database (*.mv.db) in ./anynas-runs; pass --db PATH"));
            } catch (IOException e) {
                throw new UserError("cannot list ./anynas-runs: " + e.getMessage());
            }
        }
    }

    @Command(name = "top", description = "Best candidates by validation accuracy.")
    static final class Top extends DbOptions implements Callable<Integer> {
        @Option(names = "-k", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign.")
        String campaign;

        @Override
        public Integer call() {
            if (k < 1) throw new UserError("-k must be >= 1, got " + k);
            try (ResultsStore store = open()) {
                if (campaign != null && store.campaign(campaign).isEmpty()) {
                    throw new UserError("no campaign '" + campaign + "' in " + store.file() + " (./nas db campaigns lists them)");
                }
                CampaignReport.topTable(store.top(k, campaign)).print(System.out, format());
            }
            return 0;
        }
    }

    @Command(name = "campaigns", description = "Campaigns in the database.")
    static final class Campaigns extends DbOptions implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                Table t = new Table("name", "status", "strategy", "dataset", "space", "seed", "candidates", "created");
                for (CampaignRow c : store.campaigns()) {
                    t.row(c.name(), c.status(), c.strategy(), c.dataset(), c.spaceName(), c.seed(),
                            store.candidates(c.id()).size(), c.created().toLocalDateTime().withNano(0));
                }
                t.print(System.out, format());
            }
            return 0;
        }
    }
}
