package org.anynas.bench.cli;

import org.anynas.cli.Main;
import org.anynas.cli.Finalists;
import org.anynas.cli.SeedRuns;
import org.anynas.cli.TrainCommand;

import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./nas bench final} on a tiny budget, on real Fashion-MNIST: both search arms at equal compute, the winners and
 * the baselines within the budget trained over two seeds, the table; a re-run keeps what finished (searches, seeds) and
 * redoes only what did not; other settings in the same work folder are refused.
 */
class FinalBenchTest {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    private java.io.PrintStream oldOut;
    private java.io.PrintStream oldErr;

    @org.junit.jupiter.api.BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }


    /** A campaign of the smallest compute a ladder takes: 3 epochs on 200 images, rungs 1 → 3. */
    private static Path tinyCampaign(Path dir) throws java.io.IOException {
        Path campaign = dir.resolve("tiny.yaml");
        Files.writeString(campaign, String.join("\n", "name: tiny", "population: 4", "tournament: 2", "workers: 1",
                "backend: dl4j", "fidelity: {epochs: 3, train_size: 200, val_size: 200, batch_size: 50}",
                "multi_fidelity: {min_epochs: 1, eta: 3}", ""));
        return campaign;
    }

    private int run(List<String> args) {
        out.reset();
        err.reset();
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void searchesTrainsWinnersAndBaselinesAndResumes(@TempDir Path dir) throws Exception {
        Path campaign = tinyCampaign(dir);
        Path baselines = Files.createDirectories(dir.resolve("baselines"));
        for (String b : List.of("lenet5-style", "resnet20-style")) { // 15,648 and 272,186 parameters
            Files.copy(Path.of("../examples/architectures/" + b + ".json"), baselines.resolve(b + ".json"));
        }
        Path work = dir.resolve("work");
        List<String> args = List.of("bench", "final", "--campaign", campaign.toString(), "--max-params", "20000",
                "--evaluations", "3", "--epochs", "1", "--seeds", "2", "--train-size", "300", "--backend", "dl4j",
                "--baselines", baselines.toString(), "--work", work.toString(), "--out", dir.resolve("out").toString(), "--quiet",
                "--rank-sample", "3");

        assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path report;
        try (var files = Files.list(dir.resolve("out"))) {
            report = files.filter(p -> p.getFileName().toString().matches("final-20000-.*\\.md")).findFirst().orElseThrow();
        }
        String table = Files.readString(report);
        // each arm ran until it had trained the images of 3 trainings at 3 epochs × 200 images, not more than one past it
        for (String arm : List.of("search", "random")) {
            String row = table.lines().filter(l -> l.startsWith("|" + arm + "|")).findFirst().orElseThrow();
            long images = Long.parseLong(row.split("\\|")[5].replace(",", ""));
            assertThat(images).as(row).isBetween(1_800L, 2_400L);
        }
        assertThat(table).contains("evolution on a ladder 1 → 3 epochs").contains("|lenet5-style|hand-designed|15,648|")
                .doesNotContain("resnet20-style");
        List<String> trained = table.lines().filter(l -> l.contains(" × 1 epochs")).toList();
        assertThat(trained).as(table).hasSizeBetween(2, 3) // the winners (one row if both arms found the same) and lenet5
                .allSatisfy(l -> assertThat(l).matches(".*\\|0\\.\\d{4} ± 0\\.\\d{4}\\|0\\.\\d{4} / 0\\.\\d{4}\\|2 × 1 epochs.*"));
        // the rank sample: 3 networks of the random arm, the proxy after each rung's epochs against the test accuracy
        assertThat(table).contains("How far to trust the proxy").contains("|val_acc after 1 epoch (rung 0)|3|")
                .contains("|val_acc after 3 epochs (the top fidelity)|3|");
        assertThat(dir.resolve("out").resolve(report.getFileName().toString().replace(".md", "-rank.png"))).exists();
        List<Path> sampled;
        try (var files = Files.list(work.resolve("rank"))) {
            sampled = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(sampled.size()).as("a sampled network the table trained keeps its seed 1").isBetween(1, 3);
        long rows = candidates(work);
        // one hold-out for every network: a winner trains as its campaign's candidate, a baseline from its file
        try (var seeds = Files.walk(work.resolve("final"))) {
            assertThat(seeds.filter(p -> p.getFileName().toString().equals(SeedRuns.MARKER)).map(p -> {
                try {
                    return org.anynas.space.Json.json().readTree(
                            org.anynas.space.Json.json().readTree(p.toFile()).path("identity").asText()).path("val_size").asInt();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).distinct().toList()).containsExactly(TrainCommand.ARCH_VAL_SIZE);
        }

        // the winners and the sample trained as their campaigns' candidates: the campaigns record their final trainings,
        // and the random campaign's report sets its proxy against them
        try (ResultsStore store = ResultsStore.openExisting(work.resolve("search"))) {
            var finals = store.finalTrainings(List.of("final-random"));
            assertThat(finals.stream().map(org.anynas.db.FinalTrainingRow::archHash).distinct().count()).isEqualTo(3);
            assertThat(finals.stream().map(org.anynas.db.FinalTrainingRow::recipe).distinct().count()).isEqualTo(1);
            assertThat(store.finalTrainings(List.of("final-search"))).extracting(org.anynas.db.FinalTrainingRow::seed)
                    .containsExactly(1L, 2L);
            String html = org.anynas.cli.report.DesignSpaceSection.proxyFidelity(
                    org.anynas.cli.report.Snapshot.read(store, List.of("final-random")));
            assertThat(html).contains("How far to trust the proxy").contains("<td>final-random</td><td class=\"num\">0</td><td>1</td><td class=\"num\">3</td>");
        }

        // --table-only reads the same table back without training anything
        List<String> tableOnly = new java.util.ArrayList<>(args);
        tableOnly.add("--table-only");
        assertThat(run(tableOnly)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(candidates(work)).isEqualTo(rows);
        assertThat(strip(Files.readString(report)).replaceAll("(?s)## How far to trust the proxy.*", ""))
                .isEqualTo(strip(table).replaceAll("(?s)## How far to trust the proxy.*", ""));

        // a seed that did not finish and a search arm whose end was not recorded: only they are done again, and a
        // deterministic seed trained twice gives the same table
        Files.delete(work.resolve("final/lenet5-style/seed-2").resolve(SeedRuns.MARKER));
        Files.delete(work.resolve("random.json"));
        Files.delete(sampled.get(0));
        assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(candidates(work)).as("the resumed arm stops at the budget after replaying").isEqualTo(rows);
        assertThat(work.resolve("random.json")).exists();
        assertThat(sampled.get(0)).exists();
        assertThat(strip(Files.readString(report))).isEqualTo(strip(table));

        // the same folder asked for another experiment: one line, exit 2, nothing run
        List<String> other = new java.util.ArrayList<>(args);
        other.set(other.indexOf("--evaluations") + 1, "4");
        assertThat(run(other)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: " + work.toAbsolutePath().normalize())
                .contains("other settings (evaluations: 3 there, 4 here)").doesNotContain("\n");
        assertThat(candidates(work)).isEqualTo(rows);

        other = new java.util.ArrayList<>(args);
        other.set(other.indexOf("--seeds") + 1, "1");
        assertThat(run(other)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seeds must be >= 2");
    }

    /**
     * --finalists 2: each arm's two best networks trained with seed 1 (a network both arms rank is trained once), the
     * better validation accuracy chosen and trained with seed 2; the table's winner rows are the chosen networks.
     */
    @Test
    void finalistsChooseEachArmsWinnerByFullTrainingAndShareNetworksBetweenArms(@TempDir Path dir) throws Exception {
        Path campaign = tinyCampaign(dir);
        Path work = dir.resolve("work");
        List<String> args = List.of("bench", "final", "--campaign", campaign.toString(), "--max-params", "20000",
                "--evaluations", "3", "--epochs", "1", "--seeds", "2", "--train-size", "300", "--backend", "dl4j",
                "--baselines", Files.createDirectories(dir.resolve("none")).toString(), "--work", work.toString(),
                "--out", dir.resolve("out").toString(), "--quiet", "--finalists", "2");
        assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path report;
        try (var files = Files.list(dir.resolve("out"))) {
            report = files.filter(p -> p.getFileName().toString().matches("final-20000-.*\\.md")).findFirst().orElseThrow();
        }
        String table = Files.readString(report);
        assertThat(table).contains("## Finalists: each arm's winner chosen by full training").contains("--finalists 2");
        Path finals = work.resolve("final/finalists");
        java.util.Set<String> hashes = new java.util.HashSet<>();
        for (String arm : List.of("search", "random")) {
            List<String> rows = table.lines().filter(l -> l.startsWith("|final-" + arm + "|")).toList();
            assertThat(rows).as(table).hasSize(2);
            assertThat(rows.stream().filter(l -> l.endsWith("|chosen|"))).hasSize(1);
            var choice = Finalists.read(finals, "final-" + arm).orElseThrow();
            choice.finalists().forEach(f -> hashes.add(f.hash()));
            double best = choice.finalists().stream().mapToDouble(Finalists.Finalist::valAcc).max().orElseThrow();
            assertThat(choice.chosenOne().valAcc()).isEqualTo(best);
            Path chosen = finals.resolve(choice.chosenOne().folder());
            assertThat(chosen.resolve("seed-1").resolve(SeedRuns.MARKER)).exists();
            assertThat(chosen.resolve("seed-2").resolve(SeedRuns.MARKER)).exists();
        }
        assertThat(table.lines().filter(l -> l.contains(", finalist ") && l.contains("|2 × 1 epochs"))).as(table).hasSizeBetween(1, 2);
        try (var dirs = Files.list(finals)) {
            assertThat(dirs.filter(p -> p.getFileName().toString().startsWith("net-")).count())
                    .as("one folder per network, whichever arm ranked it").isEqualTo(hashes.size());
        }
        List<String> tableOnly = new java.util.ArrayList<>(args);
        tableOnly.add("--table-only");
        assertThat(run(tableOnly)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(strip(Files.readString(report))).isEqualTo(strip(table));
    }

    private static long candidates(Path work) {
        try (ResultsStore store = ResultsStore.openExisting(work.resolve("search"))) {
            return store.campaigns().stream().mapToLong(c -> store.candidates(c.id()).size()).sum();
        }
    }

    /** The report without its date line and the seconds measured (they differ between runs). */
    private static String strip(String report) {
        return report.replaceAll("- date: .*", "").replaceAll("\\d+ s\\|", "s|").replaceAll("\\|\\d+\\|(stem)", "||$1")
                .replaceAll("(?m)\\|\\d+\\|$", "|s|");
    }

    /** A work folder of an older AnyNAS whose campaign default changed since: the refusal names the line. */
    @Test
    void theRefusalNamesTheFirstSettingThatDiffers() throws Exception {
        var json = org.anynas.space.Json.json();
        var stored = json.readTree("{\"epochs\": 15, \"search\": \"name: s\\ntorch:\\n  channels_last: false\\n\"}");
        var asked = json.readTree("{\"epochs\": 15, \"search\": \"name: s\\ntorch:\\n  channels_last: auto\\n\"}");
        assertThat(FinalBenchCommand.firstDifference(stored, asked))
                .isEqualTo("search campaign (as stored, defaults filled in) line 3: 'channels_last: false' there, 'channels_last: auto' here");
        assertThat(FinalBenchCommand.firstDifference(json.readTree("{\"seeds\": 2}"), json.readTree("{\"seeds\": 2, \"x\": 1}")))
                .isEqualTo("x: (none) there, 1 here");
    }
}
