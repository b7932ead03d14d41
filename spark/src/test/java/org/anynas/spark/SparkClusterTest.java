package org.anynas.spark;

import org.anynas.db.ResultsStore;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;
import org.anynas.space.UserInputException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Campaigns on a real standalone cluster: a master and two one-core workers, each a separate JVM on 127.0.0.1,
 * started once for the class. The driver is this JVM. The tests run in order: the last ones kill a worker and
 * start a second application.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    @TempDir
    static Path dir;
    static LoopbackCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LoopbackCluster.start(dir.resolve("cluster"), 2, 1);
        cluster.driverProperties().forEach(System::setProperty);
        System.setProperty("spark.extraListeners", FailedTasks.class.getName());
    }

    /** Counts task attempts that did not succeed (registered with each application through spark.extraListeners). */
    public static final class FailedTasks extends SparkListener {
        static final AtomicInteger COUNT = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.reason().toString().equals("Success")) COUNT.incrementAndGet();
        }
    }

    @AfterAll
    static void stopCluster() {
        stopApplication();
        cluster.driverProperties().keySet().forEach(System::clearProperty);
        System.clearProperty("spark.executorEnv.ANYNAS_DATA");
        System.clearProperty("spark.cores.max");
        System.clearProperty("spark.extraListeners");
        if (cluster != null) cluster.close();
    }

    static String campaign(String name, Path db, String executor, int evaluations, int epochs) {
        return """
                name: %s
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: evolution
                population: 4
                tournament: 2
                workers: 1
                in_flight: 4
                executor: %s
                budget: {max_params: 20000, max_macs: 1000000}
                stop: {max_evaluations: %d}
                fidelity: {epochs: %d, train_size: 400, val_size: 200, batch_size: 50}
                db: "%s"
                """.formatted(name, executor, evaluations, epochs, db);
    }

    @Test
    @Order(1)
    void aCampaignOnTheClusterStoresTheSameDatabaseAsALocalRun() {
        var local = CampaignRunner.start(CampaignConfig.parse(campaign("same", dir.resolve("local/same"), "local", 8, 1), "local"),
                SearchListener.NONE);
        var onSpark = CampaignRunner.start(CampaignConfig.parse(campaign("same", dir.resolve("spark/same"), "spark", 8, 1), "spark"),
                SearchListener.NONE);
        assertThat(onSpark.backend()).contains("executor spark: master " + cluster.url()).contains("2 task slots");
        List<String> a = rows(local.db(), "same");
        List<String> b = rows(onSpark.db(), "same");
        assertThat(a).hasSize(8);
        assertThat(a.stream().filter(r -> r.contains("status=ok"))).hasSizeGreaterThan(4); // real trainings, not failures
        assertThat(b).containsExactlyElementsOf(a);
    }

    @Test
    @Order(2)
    void theCommandLineOnTheClusterIsQuietAndSparkLogsToTheRunLog() throws IOException {
        Path yaml = Files.writeString(dir.resolve("cli.yaml"), campaign("cli", dir.resolve("cli/cli"), "spark", 2, 1));
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            code = org.anynas.cli.Main.run("search", yaml.toString(), "--quiet");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(code).isZero();
        assertThat(capturedErr.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Campaign cli: 2 candidates").doesNotContain("spark.");
        assertThat(Files.readString(dir.resolve("cli/cli.log"))).contains("org.apache.spark");
    }

    @Test
    @Order(3)
    @Timeout(120) // guards against a hang only: a stop that does not cancel would wait for 4 long trainings
    void aStopCancelsTheRunningJobsAndRecordsTheCandidatesInFlightAsInterrupted() {
        AtomicBoolean stop = new AtomicBoolean();
        SearchListener listener = new SearchListener() {
            @Override
            public void started(int max) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(3000); // the executors are training by now
                    } catch (InterruptedException e) {
                        return;
                    }
                    stop.set(true);
                });
                t.setDaemon(true);
                t.start();
            }
        };
        // candidates of about a minute each on one core
        String yaml = campaign("stop", dir.resolve("stop/stop"), "spark", 8, 30).replace("train_size: 400", "train_size: 2000");
        var outcome = CampaignRunner.start(CampaignConfig.parse(yaml, "stop"), listener, stop::get);
        assertThat(outcome.campaign().status()).isEqualTo("interrupted");
        assertThat(outcome.visits()).hasSize(4).allMatch(v -> v.result().status() == org.anynas.trainer.Status.INTERRUPTED);
        assertThat(SparkContext.getOrCreate().statusTracker().getActiveJobIds()).as("jobs still running on the cluster").isEmpty();
    }

    @Test
    @Order(4)
    void aStoppedSparkCampaignResumesToTheDatabaseOfAnUninterruptedLocalRun() {
        AtomicBoolean stop = new AtomicBoolean();
        SearchListener stopAfterTwo = new SearchListener() {
            @Override
            public void visited(Visit v, int done, int max) {
                if (done == 2) stop.set(true);
            }
        };
        Path db = dir.resolve("resume/resume");
        var stopped = CampaignRunner.start(CampaignConfig.parse(campaign("resume", db, "spark", 8, 1), "resume"), stopAfterTwo, stop::get);
        assertThat(stopped.campaign().status()).isEqualTo("interrupted");
        assertThat(stopped.visits()).hasSizeLessThan(8);
        var resumed = CampaignRunner.resume("resume", db, SearchListener.NONE, () -> false);
        assertThat(resumed.campaign().status()).isEqualTo("finished");
        assertThat(resumed.backend()).contains("executor spark");
        var local = CampaignRunner.start(CampaignConfig.parse(campaign("resume", dir.resolve("resume-local/resume"), "local", 8, 1), "local"),
                SearchListener.NONE);
        // interrupted attempts stay in the database as such; the scored candidates are those of a run never stopped
        List<String> scored = rows(resumed.db(), "resume").stream().filter(r -> !r.contains("status=interrupted")).toList();
        assertThat(scored).containsExactlyElementsOf(rows(local.db(), "resume"));
    }

    @Test
    @Order(5)
    void aWorkerKilledMidCampaignLosesAndDuplicatesNoCandidate() {
        int failedBefore = FailedTasks.COUNT.get();
        AtomicBoolean killed = new AtomicBoolean();
        SearchListener killer = new SearchListener() {
            @Override
            public void visited(Visit v, int done, int max) {
                // both one-core executors are busy (in_flight 4 > 2 slots): worker 0 dies with a candidate on it
                if (done == 2 && !killed.getAndSet(true)) cluster.killWorker(0);
            }
        };
        var outcome = CampaignRunner.start(CampaignConfig.parse(campaign("kill", dir.resolve("kill/kill"), "spark", 8, 2), "kill"), killer);
        assertThat(killed).isTrue();
        List<String> rows = rows(outcome.db(), "kill");
        assertThat(rows).hasSize(8);
        for (int seq = 1; seq <= 8; seq++) assertThat(rows.get(seq - 1)).startsWith("seq=" + seq + " ");
        assertThat(rows).noneMatch(r -> r.contains("status=interrupted") || r.contains("status=failed"));
        assertThat(FailedTasks.COUNT.get() - failedBefore).as("task attempts lost with the worker, rerun by Spark").isPositive();
        // and the same campaign locally gives the same database: the lost attempts left no trace
        var local = CampaignRunner.start(CampaignConfig.parse(campaign("kill", dir.resolve("kill-local/kill"), "local", 8, 2), "local"),
                SearchListener.NONE);
        assertThat(rows).containsExactlyElementsOf(rows(local.db(), "kill"));
    }

    @Test
    @Order(6)
    void executorsThatSeeOtherDataStopTheCampaignWithOneLine() throws IOException {
        Path real = Path.of("/usr/share/datasets/fashion-mnist");
        assumeThat(real.resolve("train-labels-idx1-ubyte.gz")).exists();
        assumeThat(System.getenv("ANYNAS_DATA")).isNull();
        // the executors' copy differs from the driver's in one training label
        Path other = Files.createDirectories(dir.resolve("other-data/fashion-mnist"));
        for (String f : List.of("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(real.resolve(f), other.resolve(f));
        }
        byte[] labels;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(real.resolve("train-labels-idx1-ubyte.gz")))) {
            labels = in.readAllBytes();
        }
        labels[8] = (byte) ((labels[8] + 1) % 10);
        Files.write(other.resolve("train-labels-idx1-ubyte"), labels);
        stopApplication(); // executor environment is fixed when an application starts
        System.setProperty("spark.executorEnv.ANYNAS_DATA", other.getParent().toString()); // looked at before ~/.cache and /usr/share
        System.setProperty("spark.cores.max", "1"); // worker 0 is dead
        String yaml = campaign("data", dir.resolve("data/data"), "spark", 2, 1).replace("dataset: synthetic", "dataset: fashion-mnist");
        assertThatThrownBy(() -> CampaignRunner.start(CampaignConfig.parse(yaml, "data"), SearchListener.NONE))
                .isInstanceOf(UserInputException.class)
                .hasMessageMatching("executor \\S+ sees different data than the driver \\(dataset checksum [0-9a-f]{16}, driver [0-9a-f]{16}\\): "
                        + "install the same dataset files \\(data_dir\\) on every node")
                .hasMessageNotContaining("\n");
    }

    private static void stopApplication() {
        var active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) active.get().stop();
    }

    /** Every candidate in seq order, with what the search and the trainer decided; parents named by seq, not row id. */
    static List<String> rows(Path db, String campaign) {
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            long id = store.campaign(campaign).orElseThrow().id();
            var stored = store.storedCandidates(id);
            Map<Long, Integer> seqOf = new HashMap<>();
            stored.forEach(s -> seqOf.put(s.candidate().id(), s.candidate().seq()));
            return stored.stream().map(s -> {
                var c = s.candidate();
                var e = s.evaluation();
                var r = e.result();
                return "seq=" + c.seq() + " gen=" + c.generation() + " origin=" + c.origin() + " parents=" + seqOf.get(c.parent1())
                        + "," + seqOf.get(c.parent2()) + " genes=" + c.genes() + " arch=" + c.archHash() + " cached=" + c.cached()
                        + " status=" + r.status().key() + " trainer=" + e.trainer() + " val_acc=" + r.valAccuracy()
                        + " val_loss=" + r.valLoss() + " train_loss=" + r.trainLoss() + " curve=" + r.valAccuracyCurve();
            }).toList();
        }
    }
}
