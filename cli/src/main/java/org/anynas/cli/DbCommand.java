package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "db", description = "Query a results database.", subcommands = {DbCommand.Campaigns.class, DbCommand.Top.class,
        DbCommand.Training.class, DbCommand.Pareto.class, DbCommand.Show.class, DbCommand.Stats.class, DbCommand.Sql.class,
        DbCommand.Export.class, DbCommand.Console.class})
final class DbCommand extends CommandGroup {


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

        static Path newest(Path runs) {
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

    @Command(name = "top", description = "Best distinct networks by a metric (default validation accuracy).")
    static final class Top extends DbOptions implements Callable<Integer> {
        @Option(names = "-k", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign.")
        String campaign;

        @Option(names = "--metric", defaultValue = "val_acc", description = "A column of the results view; accuracy and "
                + "throughput rank high first, everything else low first (default: ${DEFAULT-VALUE}).")
        String metric;

        @Override
        public Integer call() {
            if (k < 1) throw new UserError("-k must be >= 1, got " + k);
            try (ResultsStore store = open()) {
                DbQueries.top(store, k, campaign, metric).print(System.out, format());
                int now = store.trainingNow(campaign == null ? List.of() : List.of(campaign)).size();
                if (now > 0 && format() == Table.Format.TABLE) {
                    System.out.println(now + " more in training now (./nas db training lists them)");
                }
            }
            return 0;
        }
    }

    @Command(name = "training", description = "The candidates in training now, in campaigns whose engine is alive: which "
            + "network, to how many epochs, for how long.")
    static final class Training extends DbOptions implements Callable<Integer> {
        @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign.")
        String campaign;

        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                Table t = new Table("campaign", "seq", "rung", "epochs", "params", "macs", "for_s", "network");
                java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
                for (var r : store.trainingNow(campaign == null ? List.of() : List.of(campaign))) {
                    t.row(r.campaign(), r.seq(), r.rung(), (r.fromEpoch() > 0 ? r.fromEpoch() + "→" : "") + r.epochs(), r.params(),
                            r.macs(), java.time.Duration.between(r.started(), now).toSeconds(), r.oneLine());
                }
                t.print(System.out, format());
            }
            return 0;
        }
    }

    @Command(name = "campaigns", description = "Campaigns in the database.")
    static final class Campaigns extends DbOptions implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                Table t = new Table("name", "status", "strategy", "dataset", "space", "seed", "candidates", "training", "created");
                List<String> died = new java.util.ArrayList<>();
                java.util.Map<String, Long> training = store.trainingNow(List.of()).stream().collect(
                        java.util.stream.Collectors.groupingBy(org.anynas.db.TrainingNowRow::campaign, java.util.stream.Collectors.counting()));
                for (CampaignRow c : store.campaigns()) {
                    String status = store.displayStatus(c);
                    if (status.equals("died")) died.add(c.name());
                    t.row(c.name(), status, c.strategy(), c.dataset(), c.spaceName(), c.seed(),
                            store.candidates(c.id()).size(), training.getOrDefault(c.name(), 0L), c.created().toLocalDateTime().withNano(0));
                }
                t.print(System.out, format());
                if (format() == Table.Format.TABLE) {
                    for (String name : died) {
                        System.out.println("campaign " + name + " died (its process stopped without finishing); continue it with: "
                                + "./nas search --resume " + name + " --db " + store.file());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "pareto", description = "Non-dominated networks, e.g. --objectives val_acc,params (accuracy, balanced accuracy and throughput maximised, the rest minimised).")
    static final class Pareto extends DbOptions implements Callable<Integer> {
        @Option(names = "--objectives", defaultValue = "val_acc,params", split = ",", description = "Columns of the results view (default: ${DEFAULT-VALUE}).")
        List<String> objectives;

        @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign.")
        String campaign;

        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                DbQueries.pareto(store, objectives, campaign).print(System.out, format());
            }
            return 0;
        }
    }

    @Command(name = "stats", description = "Per value of a gene or column: count, best, quartiles and EDF of a metric (AnyNet-style analysis).")
    static final class Stats extends DbOptions implements Callable<Integer> {
        @Option(names = "--by", required = true, paramLabel = "COLUMN", description = "e.g. s1_block, stages, activation, total_depth.")
        String by;

        @Option(names = "--metric", defaultValue = "val_acc", description = "Default: ${DEFAULT-VALUE}.")
        String metric;

        @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign.")
        String campaign;

        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                DbQueries.stats(store, by, metric, campaign).print(System.out, format());
            }
            return 0;
        }
    }

    @Command(name = "sql", description = "A SELECT through a read-only connection (anything that writes is refused). The view 'results' has one row per candidate.")
    static final class Sql extends DbOptions implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "SELECT", description = "The query.")
        String sql;

        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                DbQueries.table(store.readOnlyQuery(sql)).print(System.out, format());
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Every candidate with its architecture genes and scores (the results view).")
    static final class Export implements Callable<Integer> {
        @Option(names = "--db", paramLabel = "PATH", description = "Database file (default: the newest under ./anynas-runs).")
        Path db;

        @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign.")
        String campaign;

        @Override
        public Integer call() {
            DbOptions options = new DbOptions();
            options.db = db;
            options.format = format;
            if (options.format() == Table.Format.TABLE) throw new UserError("--format must be csv or json for export");
            try (ResultsStore store = options.open()) {
                String sql = "SELECT * FROM results WHERE 1 = 1" + DbQueries.scope(store, campaign) + " ORDER BY candidate";
                DbQueries.table(store.readOnlyQuery(sql)).print(System.out, options.format());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "One candidate: architecture, fidelity, metrics, learning curve, parents.")
    static final class Show extends DbOptions implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "CANDIDATE", description = "Candidate id (from db top).")
        long id;

        @Override
        public Integer call() {
            try (ResultsStore store = open()) {
                var c = store.candidate(id).orElseThrow(() -> new UserError("no candidate " + id + " in " + store.file()));
                var e = store.evaluation(c.evaluationId()).orElseThrow();
                var r = e.result();
                var a = store.architecture(c.archHash()).orElseThrow();
                var campaign = store.campaign(c.campaignId()).orElseThrow();
                System.out.printf("candidate %d of campaign %s: #%d, generation %d, origin %s%s%s%n", c.id(), campaign.name(),
                        c.seq(), c.generation(), c.origin(), c.parent1() == null ? "" : ", parents " + c.parent1(),
                        c.parent2() == null ? "" : " and " + c.parent2());
                System.out.println("architecture: " + a.oneLine() + "  (hash " + c.archHash() + ")");
                System.out.println("fidelity:     " + e.fidelity().oneLine() + ", dataset " + e.dataset());
                System.out.printf("rung:         %d, after %d of the schedule's %d epochs%s%n", e.rung(), e.rungEpochs(),
                        e.fidelity().epochs(), c.origin().equals("promotion") ? " (continued from candidate " + c.parent1() + ")" : "");
                System.out.printf(java.util.Locale.ROOT, "status:       %s%s%s%n", r.status().key(), c.cached() ? " (cached: evaluation " + e.id() + ")" : "",
                        r.message().isEmpty() ? "" : " - " + r.message());
                System.out.printf(java.util.Locale.ROOT, "metrics:      val_acc %s, balanced %s, val_loss %s, train %s s at %s img/s, latency %s ms, inference %s img/s%n",
                        DbQueries.cell(r.valAccuracy()), DbQueries.cell(r.valBalancedAccuracy()), DbQueries.cell(r.valLoss()), DbQueries.cell(r.trainSeconds()),
                        DbQueries.cell(r.trainImagesPerSec()), DbQueries.cell(r.latencyMs()), DbQueries.cell(r.inferencePerSec()));
                System.out.println("device:       " + r.device() + " on " + e.host());
                System.out.println();
                Table curve = new Table("epoch", "train_loss", "val_acc");
                for (int i = 0; i < Math.max(r.trainLoss().size(), r.valAccuracyCurve().size()); i++) {
                    curve.row(i + 1, i < r.trainLoss().size() ? DbQueries.cell(r.trainLoss().get(i)) : "",
                            i < r.valAccuracyCurve().size() ? DbQueries.cell(r.valAccuracyCurve().get(i)) : "");
                }
                curve.print(System.out, Table.Format.TABLE);
                System.out.println();
                System.out.print(org.anynas.space.GraphTable.render(a.graph()));
            }
            return 0;
        }
    }

    @Command(name = "console", description = "The H2 web console on localhost, logged in as the read-only user; Ctrl-C to stop.")
    static final class Console extends DbOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (ResultsStore store = open(); java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                int port = probe.getLocalPort();
                probe.close();
                org.h2.tools.Server web = org.h2.tools.Server.createWebServer("-webPort", String.valueOf(port)).start();
                System.out.printf("H2 console: http://127.0.0.1:%d%n  JDBC URL: %s%n  user: %s  password: %s (read-only)%n"
                        + "Ctrl-C to stop.%n", port, store.jdbcUrl(), ResultsStore.READER, ResultsStore.READER_PASSWORD);
                System.out.flush();
                try {
                    Thread.currentThread().join();
                } finally {
                    web.stop();
                }
            }
            return 0;
        }
    }
}
