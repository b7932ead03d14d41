package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real campaign process is killed (SIGKILL, and separately Ctrl-C/SIGINT) mid-run; the database opens
 * cleanly, other processes could read it while the search wrote, and resume finishes the campaign with every
 * candidate exactly once and no finished evaluation repeated.
 */
class ResumeAfterKillTest {
    private static final int EVALUATIONS = 10;

    private static Path campaign(Path dir) throws Exception {
        Path yaml = dir.resolve("crash.yaml");
        Files.writeString(yaml, """
                name: crash
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: evolution
                population: 4
                tournament: 2
                budget: {max_params: 30000, max_macs: 2000000}
                stop: {max_evaluations: %d}
                fidelity: {epochs: 3, train_size: 800, val_size: 300, batch_size: 50}
                db: "%s"
                """.formatted(EVALUATIONS, dir.resolve("runs/crash")));
        return yaml;
    }

    private static Process start(Path yaml, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "org.anynas.cli.Main", "search", yaml.toString(), "--quiet"));
        // a build started in the background by a non-interactive shell ignores SIGINT, and so would the child (a JVM
        // keeps an ignored SIGINT ignored): perl, which every Debian has, restores its default before starting it
        if (sigintIgnored()) cmd.addAll(0, List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
    }

    /** Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status), as its children then do. */
    static boolean sigintIgnored() throws java.io.IOException {
        String mask = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> l.substring("SigIgn:".length()).strip()).findFirst().orElse("0");
        return (Long.parseUnsignedLong(mask, 16) & (1L << 1)) != 0;
    }

    /**
     * Waits until the running process has committed {@code n} candidates, reading its database meanwhile. Generous:
     * on a 2-core machine shared with other builds a 3-epoch candidate took over a minute.
     */
    static void awaitCandidates(Path db, String campaign, int n, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(ResultsStore.normalise(db))) {
                try (ResultsStore store = ResultsStore.openExisting(db)) { // concurrent read while the search writes
                    var c = store.campaign(campaign);
                    if (c.isPresent() && store.candidates(c.get().id()).size() >= n) return;
                } catch (org.anynas.db.StoreException e) {
                    // the file exists before the schema does; try again
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("campaign process did not reach " + n + " candidates (alive: " + p.isAlive() + ")");
    }

    private static void assertCompleteWithoutRepeats(Path db) throws Exception {
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            CampaignRow c = store.campaign("crash").orElseThrow();
            assertThat(c.status()).isEqualTo("finished");
            List<CandidateRow> rows = store.candidates(c.id());
            assertThat(rows).extracting(CandidateRow::seq).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, EVALUATIONS).boxed().toList());
            long trained = rows.stream().filter(r -> !r.cached()).count();
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM evaluation WHERE status <> 'interrupted'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("evaluations trained once each").isEqualTo(trained);
            }
        }
    }

    @Test
    void killMinusNineThenResume(@TempDir Path dir) throws Exception {
        Path yaml = campaign(dir);
        Path db = dir.resolve("runs/crash");
        Process p = start(yaml, dir);
        try {
            awaitCandidates(db, "crash", 3, p);
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor(30, TimeUnit.SECONDS);
        }
        int before;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            CampaignRow c = store.campaign("crash").orElseThrow();
            assertThat(c.status()).isEqualTo("running");
            before = store.candidates(c.id()).size();
        }
        assertThat(before).isBetween(3, EVALUATIONS - 1);
        assertThat(Main.run("search", "--resume", "crash", "--db", db.toString(), "--quiet")).isZero();
        assertCompleteWithoutRepeats(db);
    }

    @Test
    void ctrlCStopsCleanlyThenResume(@TempDir Path dir) throws Exception {
        Path yaml = campaign(dir);
        Path db = dir.resolve("runs/crash");
        Process p = start(yaml, dir);
        try {
            awaitCandidates(db, "crash", 2, p);
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        } finally {
            p.destroyForcibly(); // a failed wait must not leave the campaign training on
        }
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.out"))).isEqualTo(130);
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(store.campaign("crash").orElseThrow().status()).isEqualTo("interrupted");
        }
        assertThat(Files.readString(dir.resolve("child.out"))).contains("--resume crash");
        assertThat(Main.run("search", "--resume", "crash", "--db", db.toString(), "--quiet")).isZero();
        assertCompleteWithoutRepeats(db);
    }

}
