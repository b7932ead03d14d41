package org.anynas.cli;

import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign whose database cannot be written stops with one line and leaves a database that opens afterwards.
 * The campaign runs as a real process; as root (which ignores permission bits) it runs in a user namespace
 * ({@code unshare -U}), where the file's mode applies again.
 */
class UnwritableDatabaseTest {

    record Run(int exit, String output) {
    }

    private static Run nas(Path dir, List<String> shellPrefix, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(shellPrefix);
        cmd.addAll(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.anynas.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "nas", ".out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("nas " + String.join(" ", args) + " did not finish: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    }

    private static boolean root() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().equals("0");
    }

    /** What makes the file's permission bits apply to the child: nothing, or a user namespace for root. */
    private static List<String> unprivileged() throws Exception {
        if (!root()) return List.of();
        boolean userNamespaces = new ProcessBuilder("unshare", "-U", "true").start().waitFor() == 0;
        Assumptions.assumeTrue(userNamespaces, "running as root without user namespaces: a read-only file is writable");
        return List.of("unshare", "-U");
    }

    @Test
    void aReadOnlyDatabaseStopsTheCampaignWithOneLineAndStillOpens(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/ro");
        try (ResultsStore store = ResultsStore.open(db)) {
            store.setCampaignStatus(store.createCampaign("ro", "evolution", "synthetic", "chain", "{}", 1, "name: ro").id(), "interrupted");
        }
        Path file = ResultsStore.normalise(db);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        byte[] before = Files.readAllBytes(file);
        List<String> prefix = unprivileged();

        Run resume = nas(dir, prefix, "search", "--resume", "ro", "--db", db.toString(), "--quiet");
        assertThat(resume.exit()).as(resume.output()).isEqualTo(2);
        assertThat(resume.output()).isEqualTo("error: " + file + " is read-only: make it writable (chmod u+w " + file
                + "), or copy it somewhere writable and pass --db with the copy");
        assertThat(Files.readAllBytes(file)).as("the read-only file is untouched").isEqualTo(before);

        Run read = nas(dir, prefix, "db", "campaigns", "--db", db.toString());
        assertThat(read.exit()).as(read.output()).isZero();
        assertThat(read.output()).contains("ro").contains("interrupted");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(store.campaign("ro").orElseThrow().status()).isEqualTo("interrupted");
        }
    }

    @Test
    void aFullDiskStopsTheCampaignWithOneLineAndTheDatabaseOpensAfterwards(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/full");
        Path yaml = dir.resolve("full.yaml");
        Files.writeString(yaml, """
                name: full
                dataset: synthetic
                validation_size: 500
                space: chain
                population: 4
                tournament: 2
                budget: {max_params: 30000, max_macs: 2000000}
                stop: {max_evaluations: 60}
                fidelity: {epochs: 1, train_size: 200, val_size: 100, batch_size: 50}
                db: "%s"
                """.formatted(db));
        // a first run stores a few candidates and is killed (creating the schema alone needs more room than we leave)
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process first = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.anynas.cli.Main",
                "search", yaml.toString(), "--quiet").redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (candidates(db) < 2 && first.isAlive() && System.nanoTime() < deadline) Thread.sleep(300);
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        int before = candidates(db);
        assertThat(before).as(Files.readString(dir.resolve("first.out"))).isGreaterThanOrEqualTo(2);

        // the disk fills up: the file may grow by 48 KiB (ulimit -f counts KiB), then writes fail with EFBIG
        Path file = ResultsStore.normalise(db);
        long limitKib = Files.size(file) / 1024 + 48;
        Run resume = nas(dir, List.of("bash", "-c", "ulimit -f " + limitKib + "; exec \"$@\"", "nas"),
                "search", "--resume", "full", "--db", db.toString(), "--quiet");
        assertThat(resume.exit()).as(resume.output()).isEqualTo(2);
        assertThat(resume.output()).startsWith("error: cannot write " + file + ": the disk is full (File too large)")
                .doesNotContain("\n").doesNotContain("Exception");

        try (ResultsStore store = ResultsStore.openExisting(db)) {
            assertThat(store.campaign("full")).isPresent();
            // nothing committed before the disk filled up is lost (9 runs on 2026-11-26, 2 to 9 candidates before: never fewer after)
            int after = store.candidates(store.campaign("full").get().id()).size();
            assertThat(after).as("candidates after the failed write (" + before + " before)").isGreaterThanOrEqualTo(before);
        }
    }

    private static int candidates(Path db) {
        if (!Files.exists(ResultsStore.normalise(db))) return 0;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            return store.campaign("full").map(c -> store.candidates(c.id()).size()).orElse(0);
        } catch (org.anynas.db.StoreException e) {
            return 0; // the schema is being created, or the search holds the file a moment
        }
    }
}
