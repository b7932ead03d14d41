package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign on a fidelity ladder (1 → 2 → 4 epochs) is killed with SIGKILL after its first promotion; resumed, it
 * finishes with every training exactly once, the same candidates, rungs and scores as an uninterrupted run (DL4J
 * on the CPU is deterministic, and a continued leg equals an unbroken run), and no checkpoint left behind.
 */
class LadderResumeAfterKillTest {
    private static final int EVALUATIONS = 8;

    private static Path campaign(Path dir, String name) throws Exception {
        Path yaml = dir.resolve(name + ".yaml");
        Files.writeString(yaml, """
                name: %s
                dataset: synthetic
                validation_size: 300
                space: chain
                strategy: evolution
                population: 3
                tournament: 2
                workers: 1
                in_flight: 1
                budget: {max_params: 20000, max_macs: 1500000}
                stop: {max_evaluations: %d}
                multi_fidelity: {min_epochs: 1, eta: 2}
                fidelity: {epochs: 4, train_size: 400, val_size: 200, batch_size: 50}
                backend: dl4j
                cache: false
                db: "%s"
                """.formatted(name, EVALUATIONS, dir.resolve("runs/" + name)));
        return yaml;
    }

    @Test
    void killMinusNineBetweenRungsThenResumeGivesTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path yaml = campaign(dir, "ladder");
        Path db = dir.resolve("runs/ladder");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), "org.anynas.cli.Main",
                "search", yaml.toString(), "--quiet").redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            awaitPromotion(db, p);
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Path checkpoints = dir.resolve("runs/ladder.checkpoints");
        assertThat(checkpoints).as("checkpoints survive the kill").isDirectoryContaining("glob:**.ckpt");
        int before;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            before = store.candidates(store.campaign("ladder").orElseThrow().id()).size();
        }
        assertThat(before).isLessThan(EVALUATIONS);
        assertThat(Main.run("search", "--resume", "ladder", "--db", db.toString(), "--quiet")).isZero();
        assertThat(checkpoints).doesNotExist();

        Path plainYaml = campaign(dir, "straight");
        assertThat(Main.run("search", plainYaml.toString(), "--quiet")).isZero();
        List<String> resumed = trainings(db, "ladder");
        assertThat(resumed).hasSize(EVALUATIONS).anyMatch(t -> t.contains("rung 1")).isEqualTo(trainings(dir.resolve("runs/straight"), "straight"));
        assertThat(dir.resolve("runs/straight.checkpoints")).doesNotExist();
    }

    /** Each training as "seq hash rung k epochs e val_acc a"; every evaluation row trained once. */
    private static List<String> trainings(Path db, String name) throws Exception {
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            CampaignRow c = store.campaign(name).orElseThrow();
            assertThat(c.status()).isEqualTo("finished");
            List<CandidateRow> rows = store.candidates(c.id());
            return rows.stream().map(r -> {
                var e = store.evaluation(r.evaluationId()).orElseThrow();
                assertThat(e.ok()).isTrue();
                return r.seq() + " " + r.archHash() + " rung " + e.rung() + " epochs " + e.rungEpochs() + " val_acc " + e.result().valAccuracy()
                        + " curve " + e.result().valAccuracyCurve();
            }).toList();
        }
    }

    private static void awaitPromotion(Path db, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(ResultsStore.normalise(db))) {
                try (ResultsStore store = ResultsStore.openExisting(db)) { // concurrent read while the search writes
                    var c = store.campaign("ladder");
                    if (c.isPresent() && store.candidates(c.get().id()).stream().anyMatch(r -> r.origin().equals("promotion"))) return;
                } catch (org.anynas.db.StoreException e) {
                    // the file exists before the schema does; try again
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("campaign process did not promote a candidate (alive: " + p.isAlive() + ")");
    }
}
