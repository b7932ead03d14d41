package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.ResultsStore;
import org.anynas.torch.TorchProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A campaign on the PyTorch backend (CPU, two worker processes) killed with SIGKILL mid-run: its workers die
 * with it (none is left holding a device), and resume finishes it with every score stored with its device and
 * trainer.
 */
class TorchCampaignTest {
    private static final int EVALUATIONS = 8;

    @Test
    void killMinusNineLeavesNoWorkerAndResumeFinishesTheCampaign(@TempDir Path dir) throws Exception {
        TorchProbe.Result torch = TorchProbe.probe("");
        assumeTrue(torch.torch().isPresent(), "PyTorch not found (" + torch.problem() + "); .ci/run installs python3-torch");
        Path db = dir.resolve("runs/torch");
        Path yaml = dir.resolve("torch.yaml");
        Files.writeString(yaml, """
                name: torch
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: evolution
                population: 4
                offspring_fraction: 0.5
                tournament: 2
                workers: 2
                budget: {max_params: 30000, max_macs: 2000000}
                stop: {max_evaluations: %d}
                fidelity: {epochs: 3, train_size: 800, val_size: 300, batch_size: 50}
                backend: torch
                torch: {device: cpu}
                db: "%s"
                """.formatted(EVALUATIONS, db));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.anynas.cli.Main",
                "search", yaml.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        // the engine's worker processes, collected from its start: on a quiet machine the campaign can finish soon after
        // its second candidate, and a look after that finds none of them
        java.util.Map<Long, ProcessHandle> seen = new java.util.concurrent.ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                p.descendants().filter(h -> h.info().commandLine().orElse("").contains("anynas_torch.worker"))
                        .forEach(h -> seen.putIfAbsent(h.pid(), h));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            ResumeAfterKillTest.awaitCandidates(db, "torch", 2, p);
        } finally {
            watcher.interrupt();
            watcher.join();
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
        }
        List<ProcessHandle> workers = List.copyOf(seen.values());
        assertThat(Files.readString(dir.resolve("child.out"))).contains("backend torch").contains("2 slots");
        assertThat(workers).as("worker processes while the campaign ran").hasSize(2);
        for (ProcessHandle w : workers) {
            w.onExit().get(20, TimeUnit.SECONDS); // PR_SET_PDEATHSIG: the kernel ends them with the engine
            assertThat(w.isAlive()).isFalse();
        }

        assertThat(Main.run("search", "--resume", "torch", "--db", db.toString(), "--quiet")).isZero();
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            CampaignRow c = store.campaign("torch").orElseThrow();
            assertThat(c.status()).isEqualTo("finished");
            assertThat(store.candidates(c.id())).extracting(org.anynas.db.CandidateRow::seq)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, EVALUATIONS).boxed().toList());
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT DISTINCT device, trainer FROM evaluation WHERE status <> 'interrupted'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("cpu (").contains("torch " + torch.torch().get().version());
                assertThat(rs.getString(2)).startsWith("torch " + torch.torch().get().version() + " cpu fp32");
                assertThat(rs.next()).as("one device and trainer").isFalse();
            }
        }
    }
}
