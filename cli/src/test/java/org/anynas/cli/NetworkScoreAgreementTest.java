package org.anynas.cli;

import org.anynas.db.Pareto;
import org.anynas.db.ResultsStore;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingLeg;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.DbSearchLog;
import org.anynas.search.Search;
import org.anynas.search.Visit;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.DesignSpace;
import org.anynas.space.Fidelity;
import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One ladder campaign (1 → 3 → 9 epochs, ASHA), recorded by the real search into the real store, with a trainer
 * whose later rungs reverse the first rung's order: the best first-rung networks turn out the worst when trained
 * longer. db top, db pareto, export --best, train --candidate and the report must name the same networks with the
 * same scores: each network at the highest rung it reached, fronts over the top rung only.
 */
class NetworkScoreAgreementTest extends CapturedConsole {

    /** First rung: a score from the network's hash; later rungs: the reverse order, a little higher for more epochs. */
    static final class Reversing implements Trainer {
        @Override
        public EvaluationResult evaluate(Architecture a, Fidelity f, TrainingLeg leg) {
            double base = 0.4 + 0.5 * (Integer.parseUnsignedInt(ArchitectureJson.hash(a).substring(0, 6), 16) / (double) 0x1000000);
            double s = leg.toEpoch() == 1 ? base : 1.3 - base + 0.002 * leg.toEpoch();
            try {
                if (leg.save() != null) Files.writeString(leg.save(), "checkpoint"); // what a promotion continues from
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var g = a.graph();
            return new EvaluationResult(Status.OK, "", s, 1 - s, Collections.nCopies(leg.epochs(), 1.0),
                    Collections.nCopies(leg.epochs(), s), 0.001, 1e6, 0.1, 1e5, g.params(), g.macs(), "reversing");
        }

        @Override
        public String datasetKey() {
            return "synthetic";
        }

        @Override
        public String identity() {
            return "reversing test trainer";
        }
    }

    private String stdout(Runnable command) {
        out.reset();
        command.run();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Rows of a csv table printed by a db command, first line (the header) left out. */
    private static List<String[]> csv(String text) {
        return text.lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    }

    @Test
    void dbTopDbParetoExportTrainAndTheReportAgreeOnALadder(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/ladder");
        String yaml = """
                name: ladder
                dataset: synthetic
                space: chain
                strategy: evolution
                population: 4
                tournament: 2
                budget: {max_params: 30000, max_macs: 2000000}
                stop: {max_evaluations: 40}
                multi_fidelity: {min_epochs: 1, eta: 3}
                fidelity: {epochs: 9, train_size: 400, val_size: 200, batch_size: 50}
                cache: false
                """;
        CampaignConfig config = CampaignConfig.parse(yaml, "test campaign");
        List<Visit> visits;
        try (ResultsStore store = ResultsStore.open(db)) {
            long id = store.createCampaign("ladder", "evolution", "synthetic", "chain", "{}", 1, yaml).id();
            Trainer trainer = new Reversing();
            visits = Search.builder(DesignSpace.load("chain").layout(Shape.of(1, 28, 28), 10), config.settings(), config.fidelity())
                    .trainer(trainer).log(new DbSearchLog(store, id, "synthetic", trainer.identity(), false))
                    .ladder(config.ladder(), dir.resolve("checkpoints")).build().run();
            store.setCampaignStatus(id, "finished");
        }
        // a real ladder: several networks reached the top rung, and what ranks first there is not the first rung's best
        List<Visit> top = visits.stream().filter(v -> v.epochs() == 9).toList();
        assertThat(top.stream().map(Visit::hash).distinct().count()).isGreaterThanOrEqualTo(2);
        Visit firstRungBest = visits.stream().filter(v -> v.epochs() == 1).max(java.util.Comparator.comparingDouble(Visit::fitness)).orElseThrow();
        Visit topRungBest = top.stream().max(java.util.Comparator.comparingDouble(Visit::fitness)).orElseThrow();
        assertThat(topRungBest.hash()).isNotEqualTo(firstRungBest.hash());

        // db top: top-rung networks first, the top-rung best leads with its 9-epoch score
        List<String[]> dbTop = csv(stdout(() -> assertThat(Main.run("db", "top", "--db", db.toString(), "--campaign", "ladder",
                "-k", "100", "--format", "csv")).isZero()));
        long leader = Long.parseLong(dbTop.get(0)[1]);
        assertThat(dbTop.get(0)[2]).isEqualTo(String.format(Locale.ROOT, "%.4f", topRungBest.result().valAccuracy()));
        assertThat(dbTop.get(0)[3]).isEqualTo("2 (9 ep)");
        assertThat(dbTop).hasSize((int) visits.stream().map(Visit::hash).distinct().count()); // one row per network
        List<Long> ranked = dbTop.stream().map(r -> Long.parseLong(r[1])).toList();

        // export --best picks db top's first
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(ExportCommand.best(store, "ladder")).isEqualTo(leader);
            assertThat(ExportCommand.best(store, null)).isEqualTo(leader);
        }

        // train --candidate with the leader's first-rung candidate: the network's score, candidate and fidelity are db top's
        long leaderFirstRung = visits.stream().filter(v -> v.hash().equals(topRungBest.hash()) && v.epochs() == 1)
                .mapToLong(Visit::candidateId).min().orElseThrow();
        TrainCommand train = new TrainCommand();
        train.db = db;
        String said = stdout(() -> {
            TrainCommand.Defaults d = train.fromCandidate(leaderFirstRung, true);
            assertThat(d.provenance()).contains("candidate " + leader + ",");
            assertThat(d.fidelity()).isEqualTo(config.fidelity());
            assertThat(d.arch()).isEqualTo(topRungBest.architecture());
        });
        assertThat(said).contains(String.format(Locale.ROOT, "val_acc %.4f after 9 of 9 epochs (candidate %d, its highest rung",
                topRungBest.result().valAccuracy(), leader));

        // db pareto: networks at the top rung only, at their top-rung scores; the first rung's front was another
        List<String[]> front = csv(stdout(() -> assertThat(Main.run("db", "pareto", "--db", db.toString(), "--campaign", "ladder",
                "--objectives", "val_acc,params", "--format", "csv")).isZero()));
        List<Long> frontIds = front.stream().map(r -> Long.parseLong(r[0])).sorted().toList();
        List<Long> topIds = top.stream().collect(java.util.stream.Collectors.toMap(Visit::hash, Visit::candidateId, Math::min))
                .values().stream().toList();
        assertThat(topIds).containsAll(frontIds);
        for (String[] r : front) {
            Visit v = visits.stream().filter(x -> x.candidateId() == Long.parseLong(r[0])).findFirst().orElseThrow();
            assertThat(r[2]).isEqualTo(String.format(Locale.ROOT, "%.4f", v.result().valAccuracy()));
            assertThat(v.epochs()).isEqualTo(9);
        }
        Map<String, Visit> firstRung = new java.util.LinkedHashMap<>();
        for (Visit v : visits) if (v.epochs() == 1) firstRung.putIfAbsent(v.hash(), v);
        List<Long> firstRungFront = Pareto.front(List.copyOf(firstRung.values()), Pareto.Objective.max(Visit::fitness),
                Pareto.Objective.min(v -> v.result().params())).stream().map(Visit::candidateId).sorted().toList();
        assertThat(frontIds).isNotEmpty().isNotEqualTo(firstRungFront);

        // the report: its top table is db top's order, its front db pareto's networks
        Path report = dir.resolve("report");
        stdout(() -> assertThat(Main.run("report", "--db", db.toString(), "--out", report.toString(), "-k", "5", "--quiet")).isZero());
        String html = Files.readString(report.resolve("index.html"));
        String topSection = html.substring(html.indexOf("<section id=\"top\""));
        assertThat(firstColumn(topSection.substring(0, topSection.indexOf("</table>")), 1)).isEqualTo(ranked.subList(0, 5));
        String pareto = html.substring(html.indexOf("Front of accuracy against parameters"));
        assertThat(firstColumn(pareto.substring(0, pareto.indexOf("</table>")), 0).stream().sorted().toList()).isEqualTo(frontIds);
        assertThat(topSection).contains(String.format(Locale.ROOT, "candidate %d, val_acc %.4f", leader, topRungBest.result().valAccuracy()));
    }

    /** The numbers in column {@code column} of each body row of an HTML table. */
    private static List<Long> firstColumn(String table, int column) {
        List<Long> out = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>").matcher(table.substring(table.indexOf("<tbody>")));
        while (row.find()) {
            Matcher cell = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row.group(1));
            for (int i = 0; i <= column; i++) cell.find();
            out.add(Long.parseLong(cell.group(1)));
        }
        return out;
    }
}
