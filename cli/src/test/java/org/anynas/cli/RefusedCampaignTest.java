package org.anynas.cli;

import org.anynas.trainer.NvidiaGpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign refused at its start leaves nothing behind: no database, log, checkpoint or run folder, so that
 * the corrected file under the same name then starts as a new campaign.
 */
class RefusedCampaignTest extends CapturedConsole {

    /** A tiny valid campaign (one candidate, one epoch on 200 synthetic images); {@code extra} lines override keys. */
    private static String campaign(Path db, String name, String extra) {
        String base = """
                name: %s
                dataset: synthetic
                validation_size: 200
                space: chain
                strategy: random
                population: 4
                tournament: 2
                workers: 1
                stop: {max_evaluations: 1}
                fidelity: {epochs: 1, train_size: 200, val_size: 100, batch_size: 50}
                db: "%s"
                """.formatted(name, db);
        for (String line : extra.lines().toList()) {
            String key = line.substring(0, line.indexOf(':'));
            base = base.lines().filter(l -> !l.startsWith(key + ":")).reduce("", (a, l) -> a + l + "\n");
        }
        return base + extra;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** Runs the campaign file, expects exit 2 with one {@code error:} line, and returns that line. */
    private String refused(Path yaml, String text) throws IOException {
        Files.writeString(yaml, text);
        err.reset();
        out.reset();
        int code = Main.run("search", yaml.toString());
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(s).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("a refused campaign says nothing but its error line").isEmpty();
        assertThat(s.lines().count()).as(s).isEqualTo(1);
        assertThat(s).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
        return s;
    }

    @Test
    void everyRefusalLeavesNoFileAndTheCorrectedFileThenRunsUnderTheSameName(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path db = runs.resolve("x");
        Path yaml = dir.resolve("x.yaml");
        Files.writeString(yaml, "");
        List<String> before = listing(dir);

        assertThat(refused(yaml, campaign(db, "x", "budget: {max_params: 10}\n")))
                .contains("budget").contains("max_params 10").contains("chain");
        assertThat(listing(dir)).isEqualTo(before);

        assertThat(refused(yaml, campaign(db, "x", "space: no-such-space\n"))).contains("no-such-space");
        assertThat(listing(dir)).isEqualTo(before);

        assertThat(refused(yaml, campaign(db, "x", "fidelity: {epochs: 1, train_size: 99999, val_size: 100}\n")))
                .contains("fidelity.train_size 99999");
        assertThat(listing(dir)).isEqualTo(before);

        assertThat(refused(yaml, campaign(db, "x", "dataset: no-such-dataset\n"))).contains("no-such-dataset");
        assertThat(listing(dir)).isEqualTo(before);

        assertThat(refused(yaml, campaign(db, "x", "executor: spark\nin_flight: 2\n"))).contains("executor: spark needs");
        assertThat(listing(dir)).isEqualTo(before);

        if (NvidiaGpus.list().map(List::isEmpty).orElse(true)) { // a GPU machine may run it (or refuse it for its build)
            assertThat(refused(yaml, campaign(db, "x", "backend: dl4j-cuda\n"))).contains("backend dl4j-cuda needs an NVIDIA GPU");
            assertThat(listing(dir)).isEqualTo(before);
        }

        // the corrected file: a new campaign x, not "already exists"
        Files.writeString(yaml, campaign(db, "x", ""));
        err.reset();
        assertThat(Main.run("search", yaml.toString(), "--quiet")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(runs.resolve("x.mv.db")).exists();
        assertThat(runs.resolve("x.log")).exists();

        // beside an existing database: a second campaign refused there adds no file and no campaign
        List<String> withDb = listing(dir);
        assertThat(refused(yaml, campaign(db, "y", "budget: {max_params: 10}\n"))).contains("max_params 10");
        assertThat(listing(dir)).isEqualTo(withDb);
        assertThat(refused(yaml, campaign(db, "y", "executor: spark\nin_flight: 2\n"))).contains("executor: spark needs");
        assertThat(listing(dir)).isEqualTo(withDb);
        err.reset();
        assertThat(Main.run("search", "--resume", "y", "--db", db.toString(), "--quiet")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no campaign 'y'");
        assertThat(listing(dir)).isEqualTo(withDb);
    }

    @Test
    void resumeOnAMissingDatabaseIsOneLineAndCreatesNothing(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/ghost");
        List<String> before = listing(dir);
        assertThat(Main.run("search", "--resume", "ghost", "--db", db.toString(), "--quiet")).isEqualTo(2);
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(s.lines().count()).as(s).isEqualTo(1);
        assertThat(s).startsWith("error: no results database at ").contains("ghost.mv.db");
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aDeferredLogIsCreatedOnlyWhenTheRunIsAcceptedAndKeepsWhatCameBefore(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("runs/held.log");
        Logging.defer(log, false);
        org.slf4j.LoggerFactory.getLogger(RefusedCampaignTest.class).info("before the checks passed");
        assertThat(dir.resolve("runs")).doesNotExist();
        assertThat(Logging.file()).isNull();
        Logging.open();
        org.slf4j.LoggerFactory.getLogger(RefusedCampaignTest.class).info("after");
        assertThat(Logging.file()).isEqualTo(log.toAbsolutePath());
        String text = Files.readString(log);
        assertThat(text).contains("before the checks passed").contains("after");
        assertThat(text.indexOf("before the checks passed")).isLessThan(text.indexOf("after"));
        Logging.configure(null, false);
    }
}
