package org.anynas.cli;

import org.anynas.db.Engine;
import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign whose engine is gone shows as {@code died}; one that a live engine (another real process) drives
 * cannot be started or resumed a second time.
 */
class CampaignLivenessTest extends CapturedConsole {

    private static long campaign(Path db, String name) {
        try (ResultsStore store = ResultsStore.open(db)) {
            return store.createCampaign(name, "evolution", "synthetic", "chain", "{}", 1, "name: " + name).id();
        }
    }

    private static void setEngine(Path db, long id, long pid, OffsetDateTime heartbeat) throws Exception {
        try (ResultsStore store = ResultsStore.openExisting(db);
             PreparedStatement ps = store.connection().prepareStatement(
                     "UPDATE campaign SET engine_host = ?, engine_pid = ?, heartbeat = ? WHERE id = ?")) {
            ps.setString(1, Engine.thisHost());
            ps.setLong(2, pid);
            ps.setObject(3, heartbeat);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    private String campaignsTable(Path db) {
        out.reset();
        assertThat(Main.run("db", "campaigns", "--db", db.toString())).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private String errorLine() {
        String s = err.toString(StandardCharsets.UTF_8).strip();
        err.reset();
        assertThat(s.lines().count()).as(s).isEqualTo(1);
        assertThat(s).startsWith("error: ").doesNotContain("\tat ");
        return s;
    }

    @Test
    void aStaleHeartbeatOrAGoneProcessMeansDied(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/c");
        long stale = campaign(db, "stale");
        long gone = campaign(db, "gone");
        long live = campaign(db, "live");
        // alive process, but no heartbeat for two minutes (a hung or partitioned engine)
        setEngine(db, stale, ProcessHandle.current().pid(), OffsetDateTime.now().minusMinutes(2));
        // fresh heartbeat, but the process has exited (kill -9 a moment ago)
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor(10, TimeUnit.SECONDS);
        setEngine(db, gone, exited.pid(), OffsetDateTime.now());
        setEngine(db, live, ProcessHandle.current().pid(), OffsetDateTime.now());

        String table = campaignsTable(db);
        assertThat(table.lines().filter(l -> l.contains("stale")).findFirst().orElseThrow()).contains("died");
        assertThat(table.lines().filter(l -> l.contains("gone") && !l.startsWith("campaign")).findFirst().orElseThrow()).contains("died");
        assertThat(table.lines().filter(l -> l.contains("live") && !l.startsWith("campaign")).findFirst().orElseThrow())
                .contains("running").doesNotContain("died");
        assertThat(table).contains("continue it with: ./nas search --resume stale --db ")
                .contains("./nas search --resume gone").doesNotContain("--resume live");
    }

    @Test
    void aCampaignALiveEngineDrivesIsRefusedNamingItsHostAndPid(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/busy");
        long id = campaign(db, "busy");
        Process other = new ProcessBuilder("sleep", "120").start(); // a live process on this host, beating now
        try {
            setEngine(db, id, other.pid(), OffsetDateTime.now());
            assertThat(Main.run("search", "--resume", "busy", "--db", db.toString(), "--quiet")).isEqualTo(2);
            assertThat(errorLine()).contains("campaign 'busy' is being run by pid " + other.pid() + " on host " + Engine.thisHost());

            Path yaml = dir.resolve("busy.yaml");
            Files.writeString(yaml, "name: busy\ndataset: synthetic\nvalidation_size: 500\nspace: chain\n"
                    + "fidelity: {epochs: 1, train_size: 200, val_size: 100, batch_size: 50}\ndb: \"" + db + "\"\n");
            assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
            assertThat(errorLine()).contains("pid " + other.pid()).contains(Engine.thisHost());
            assertThat(campaignsTable(db)).contains("running").doesNotContain("died");
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(campaignsTable(db)).contains("died");
    }

    @Test
    void aSecondEngineIsRefusedWhileARealSearchRuns(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/real");
        Path yaml = dir.resolve("real.yaml");
        Files.writeString(yaml, """
                name: real
                dataset: synthetic
                validation_size: 500
                space: chain
                population: 4
                tournament: 2
                budget: {max_params: 30000, max_macs: 2000000}
                stop: {max_evaluations: 200}
                fidelity: {epochs: 1, train_size: 200, val_size: 100, batch_size: 50}
                db: "%s"
                """.formatted(db));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.anynas.cli.Main", "search", yaml.toString(), "--quiet"));
        Process engine = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("engine.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!hasCampaign(db) && engine.isAlive() && System.nanoTime() < deadline) Thread.sleep(200);
            assertThat(engine.isAlive()).as(Files.readString(dir.resolve("engine.out"))).isTrue();
            err.reset(); // what this test's own database reads logged
            assertThat(Main.run("search", "--resume", "real", "--db", db.toString(), "--quiet")).isEqualTo(2);
            assertThat(errorLine()).contains("pid " + engine.pid() + " on host " + Engine.thisHost());
            assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
            assertThat(errorLine()).contains("pid " + engine.pid());
            // what it trains now: a candidate of 'real' shows while its training runs (most of the engine's time)
            String training = "";
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < until && engine.isAlive(); ) {
                out.reset();
                assertThat(Main.run("db", "training", "--db", db.toString(), "--format", "csv")).isZero();
                training = out.toString(StandardCharsets.UTF_8);
                if (training.lines().count() > 1) break;
                Thread.sleep(50);
            }
            assertThat(training.lines().skip(1).toList()).as(training).isNotEmpty().allMatch(l -> l.startsWith("real,"));
        } finally {
            engine.destroyForcibly(); // kill -9: no chance to mark the campaign
            engine.waitFor(30, TimeUnit.SECONDS);
        }
        String table = campaignsTable(db);
        assertThat(table).contains("died").contains("./nas search --resume real");
        // a dead engine trains nothing, whatever rows it left
        out.reset();
        assertThat(Main.run("db", "training", "--db", db.toString(), "--format", "csv")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(1);
    }

    private static boolean hasCampaign(Path db) {
        if (!Files.exists(ResultsStore.normalise(db))) return false;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            return store.campaign("real").isPresent();
        } catch (org.anynas.db.StoreException e) {
            return false; // schema not there yet, or the engine holds the file a moment
        }
    }
}
