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
        List<ProcessHandle> workers;
        try {
            ResumeAfterKillTest.awaitCandidates(db, "torch", 2, p);
            // the worker processes live as long as the engine; a single look can find none of them (their command line
            // not readable yet), so look again for a while before the check below
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            do {
                workers = p.descendants().filter(h -> h.info().commandLine().orElse("").contains("anynas_torch.worker")).toList();
                if (workers.size() >= 2) break;
                Thread.sleep(100);
            } while (System.nanoTime() < until && p.isAlive());
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
        }
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
