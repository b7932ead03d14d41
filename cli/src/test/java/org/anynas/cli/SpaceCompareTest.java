package org.anynas.cli;

import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nas space compare} on real Fashion-MNIST at a tiny fidelity: campaigns, table, report, resume, refusals. */
class SpaceCompareTest extends CapturedConsole {

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    @Test
    void comparesSpacesResumesAndRefusesAnotherExperimentInTheSameDatabase(@TempDir Path dir) throws Exception {
        Path campaign = dir.resolve("tiny.yaml");
        Files.writeString(campaign, "name: tiny\nworkers: 1\nfidelity: {epochs: 1, train_size: 256, val_size: 256}\n");
        Path db = dir.resolve("cmp");
        String[] args = {"space", "compare", "chain", "anynet", "--samples", "3", "--campaign", campaign.toString(),
                "--db", db.toString(), "--max-params", "60000", "--quiet"};

        assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("Error EDFs compared").contains("best of 1 (bootstrap mean [95 %])");
        assertThat(table.lines().filter(l -> l.startsWith("chain ") || l.startsWith("anynet ")).count()).isEqualTo(2);
        assertThat(dir.resolve("cmp-report/index.html")).exists();
        assertThat(Files.readString(dir.resolve("cmp-report/index.html"))).contains("Compared on common terms");
        long trained;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(store.campaign("chain").orElseThrow().status()).isEqualTo("finished");
            assertThat(store.campaign("anynet").orElseThrow().strategy()).isEqualTo("random");
            trained = rows(store);
            assertThat(trained).isEqualTo(6);
            // a comparison stopped half-way: its campaign resumes and completes without training again what it has
            store.setCampaignStatus(store.campaign("anynet").orElseThrow().id(), "interrupted");
        }
        assertThat(run(args)).isZero();
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(rows(store)).isEqualTo(trained);
            assertThat(store.campaign("anynet").orElseThrow().status()).isEqualTo("finished");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the same table after a resume").isEqualTo(table);

        // the same database asked for another experiment: one line, exit 2, nothing trained
        args[5] = "4";
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: campaign 'chain'").contains("3 samples")
                .doesNotContain("\n");
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(rows(store)).isEqualTo(trained);
        }
    }

    @Test
    void badArgumentsGiveOneLine(@TempDir Path dir) {
        assertThat(run("space", "compare", "chain", "nope.yaml", "--db", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: design space 'nope.yaml'").doesNotContain("\n");
        assertThat(run("space", "compare", "chain", "anynet", "--samples", "1", "--db", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--samples must be >= 2");
        assertThat(run("space", "compare", "chain", "chain", "--db", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("two of the spaces are named 'chain'");
        assertThat(dir.resolve("x.mv.db")).doesNotExist();
    }

    @Test
    void aSpaceChangedSinceItWasSampledIsRefused(@TempDir Path dir) throws Exception {
        Path campaign = dir.resolve("tiny.yaml");
        Files.writeString(campaign, "name: tiny\nworkers: 1\nfidelity: {epochs: 1, train_size: 128, val_size: 128}\n");
        Path space = dir.resolve("mine.yaml");
        String text = Files.readString(Path.of("../examples/spaces/small-residual.yaml"));
        Files.writeString(space, text);
        String[] args = {"space", "compare", "chain", space.toString(), "--samples", "2", "--campaign", campaign.toString(),
                "--db", dir.resolve("cmp").toString(), "--quiet"};
        assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Files.writeString(space, text.replace("max_stages: 3", "max_stages: 2"));
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).contains("another definition of space").doesNotContain("\n");
    }

    private static long rows(ResultsStore store) throws Exception {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM evaluation")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
