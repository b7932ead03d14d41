package org.anynas.spark;

import org.anynas.db.ResultsStore;
import org.anynas.torch.TorchProbe;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import org.anynas.search.SearchListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code backend: torch} on a real standalone cluster whose one worker (2 cores) offers one GPU to Spark's scheduler:
 * the GPU is a discovery script's answer, since this machine has none, and the campaign trains with
 * {@code torch.device: cpu}. With {@code spark.task.resource.gpu.amount} 0.5 two tasks share GPU "0" at once: the
 * executor keeps one PyTorch worker per share alive across tasks, and the scores equal a local run's.
 */
class SparkTorchTest {
    static final String PYTHON = "/usr/bin/python3";
    @TempDir
    static Path dir;
    static LoopbackCluster cluster;
    static final Map<String, String> APPLICATION = Map.of("spark.executor.cores", "2", "spark.task.cpus", "1",
            "spark.executor.resource.gpu.amount", "1", "spark.task.resource.gpu.amount", "0.5");

    @BeforeAll
    static void startCluster() throws Exception {
        TorchProbe.Result r = TorchProbe.probe(PYTHON);
        assumeTrue(r.torch().isPresent(), "PyTorch not found (" + r.problem() + "); .ci/run installs python3-torch");
        Path script = Files.writeString(Files.createDirectories(dir.resolve("bin")).resolve("gpus.sh"),
                "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        cluster = LoopbackCluster.start(dir.resolve("cluster"), 1, 2, "3g", Map.of("spark.worker.resource.gpu.amount", "1",
                "spark.worker.resource.gpu.discoveryScript", script.toString()));
        cluster.driverProperties().forEach(System::setProperty);
        APPLICATION.forEach(System::setProperty);
    }

    @AfterAll
    static void stopCluster() {
        var active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) active.get().stop();
        if (cluster != null) cluster.driverProperties().keySet().forEach(System::clearProperty);
        APPLICATION.keySet().forEach(System::clearProperty);
        if (cluster != null) cluster.close();
    }

    /** SparkClusterTest's campaign on PyTorch (CPU), two slots and two candidates in flight. */
    static String campaign(String executor, Path db) {
        return SparkClusterTest.campaign("torch", db, executor, 6, 1).replace("workers: 1\nin_flight: 4\n",
                "workers: 2\nin_flight: 2\nbackend: torch\ntorch: {python: " + PYTHON + ", device: cpu}\n");
    }

    @Test
    void tasksSharingAGpuTrainOnWorkersThatLiveAcrossTasksAndScoreAsALocalRun() {
        var onSpark = CampaignRunner.start(CampaignConfig.parse(campaign("spark", dir.resolve("spark/torch")), "spark"),
                SearchListener.NONE);
        // two local slots of one thread each: the numerics of two one-core tasks
        var local = CampaignRunner.start(CampaignConfig.parse(campaign("local", dir.resolve("local/torch")), "local"),
                SearchListener.NONE);
        assertThat(onSpark.backend()).contains("executor spark").contains("2 task slots").contains("torch");
        List<String> rows = SparkClusterTest.rows(onSpark.db(), "torch");
        assertThat(rows).hasSize(6).allMatch(r -> r.contains("status=ok")).allMatch(r -> r.contains("trainer=torch "));
        assertThat(rows).containsExactlyElementsOf(SparkClusterTest.rows(local.db(), "torch"));
        List<String> devices = devices(onSpark.db());
        assertThat(devices).allMatch(d -> d.matches("cpu .*\\[spark executor \\S+, gpu 0, worker [12]]"));
        assertThat(devices.stream().map(d -> d.replaceAll(".*(worker \\d).*", "$1")).distinct()).as("workers started")
                .containsExactlyInAnyOrder("worker 1", "worker 2");
    }

    static List<String> devices(Path db) {
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            long id = store.campaign("torch").orElseThrow().id();
            return store.storedCandidates(id).stream().map(s -> s.evaluation().result().device()).toList();
        }
    }
}
