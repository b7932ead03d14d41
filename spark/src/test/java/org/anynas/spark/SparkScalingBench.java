package org.anynas.spark;

import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Not part of {@code mvn verify} (the name matches no surefire pattern): bench/spark-scaling.sh runs it. Campaign
 * throughput on 1, 2, 4 and 8 one-core executors of a loopback cluster, with a trainer that sleeps 10 s per
 * candidate, and the per-task round trip with a trainer that returns at once. Writes the record to
 * {@code -Danynas.bench.record}.
 */
class SparkScalingBench {

    @Test
    void scaling(@TempDir Path dir) throws Exception {
        long sleepMs = Long.getLong("anynas.bench.sleepMs", 10_000);
        int perExecutor = Integer.getInteger("anynas.bench.candidatesPerExecutor", 4);
        List<String> lines = new ArrayList<>();
        // 8 executors of 512 MiB fit the worker's memory; the application waits until all have registered
        try (LoopbackCluster cluster = LoopbackCluster.start(dir.resolve("cluster"), 1, 8, "8g")) {
            cluster.driverProperties().forEach(System::setProperty);
            System.setProperty("spark.scheduler.maxRegisteredResourcesWaitingTime", "180s");
            System.setProperty("spark.executor.cores", "1");
            System.setProperty("spark.executor.memory", "512m");
            System.setProperty(SparkPoolProvider.TRAINER_FACTORY, SleepingTrainers.class.getName());

            // per-task round trip: one warm executor, one candidate at a time, a trainer that does not sleep
            System.setProperty("anynas.bench.sleepMs", "0");
            int quick = 60;
            Run cold = run(dir, "overhead-warmup", 1, 10, 1, true);
            Run overhead = run(dir, "overhead", 1, quick, 1, false);
            double overheadMs = overhead.seconds() * 1000 / quick;

            System.setProperty("anynas.bench.sleepMs", String.valueOf(sleepMs));
            double[] single = new double[2];
            lines.add("| executors | executors warm | candidates | seconds | candidates/min | ideal/min | vs ideal | vs 1 executor × n | overhead per task (ms) |");
            lines.add("|---:|:---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int n : new int[]{1, 2, 4, 8}) {
                int count = perExecutor * n;
                for (int warm = 0; warm < 2; warm++) {
                    // the first campaign of a fresh application meets executors that load classes and data on their first task
                    Run r = run(dir, "scale" + n + (warm == 1 ? "-warm" : "-cold"), n, count, 16, warm == 0);
                    double perMin = count * 60 / r.seconds();
                    double ideal = n * 60_000.0 / sleepMs;
                    if (n == 1) single[warm] = perMin;
                    double taskOverhead = (r.seconds() * n / count - sleepMs / 1000.0) * 1000;
                    lines.add(String.format("| %d | %s | %d | %.1f | %.2f | %.2f | %.3f× | %.3f× | %.0f |", n, warm == 1 ? "yes" : "no (fresh application)",
                            count, r.seconds(), perMin, ideal, perMin / ideal, perMin / (single[warm] * n), taskOverhead));
                    System.err.println(lines.get(lines.size() - 1));
                }
            }
            lines.add("");
            lines.add(String.format("Per-task round trip (one warm executor, in_flight 1, a trainer that returns at once, %d candidates): "
                    + "%.1f ms each (proposal, task serialisation, Spark scheduling, result, H2 commit with fsync). "
                    + "The 10 candidates before it, on the fresh executor: %.1f s.", quick, overheadMs, cold.seconds()));
        } finally {
            stopApplication();
            for (String k : List.of("spark.executor.cores", "spark.executor.memory", SparkPoolProvider.TRAINER_FACTORY, "anynas.bench.sleepMs",
                    "spark.scheduler.maxRegisteredResourcesWaitingTime", "spark.cores.max", "spark.master", "spark.driver.host",
                    "spark.driver.bindAddress", "spark.executor.extraClassPath", "spark.ui.enabled", "spark.executorEnv.OMP_NUM_THREADS",
                    "spark.scheduler.minRegisteredResourcesRatio")) {
                System.clearProperty(k);
            }
        }
        String record = String.join("\n", lines);
        System.err.println(record);
        String out = System.getProperty("anynas.bench.record");
        if (out != null) {
            Files.writeString(Path.of(out), "# Spark scaling, " + LocalDate.now() + "\n\n" + header(sleepMs) + record + "\n");
        }
    }

    record Run(double seconds) {
    }

    /** A campaign on {@code executors} one-core executors; seconds from the search's start to its last result. */
    private static Run run(Path dir, String name, int executors, int candidates, int inFlight, boolean freshApplication) {
        if (freshApplication) {
            stopApplication();
            System.setProperty("spark.cores.max", String.valueOf(executors));
        }
        String yaml = SparkClusterTest.campaign(name, dir.resolve(name + "/" + name), "spark", candidates, 1)
                .replace("in_flight: 4", "in_flight: " + inFlight).replace("population: 4", "population: 8");
        long[] times = new long[2];
        CampaignRunner.start(CampaignConfig.parse(yaml, name), new SearchListener() {
            @Override
            public void started(int max) {
                times[0] = System.nanoTime();
            }

            @Override
            public void visited(Visit v, int done, int max) {
                times[1] = System.nanoTime();
            }
        });
        return new Run((times[1] - times[0]) / 1e9);
    }

    private static void stopApplication() {
        var active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) active.get().stop();
    }

    private static String header(long sleepMs) {
        return String.format("""
                Loopback standalone cluster on this machine (%d cores, %s): one master and one worker, each a JVM; the
                application gets 1, 2, 4 or 8 one-core executors (`spark.executor.cores=1`, `spark.cores.max`) and starts after
                all of them registered. Each executor count runs two campaigns in one application: the first meets executors
                that load classes and data on their first task ("warm: no"), the second finds them warm. The
                trainer sleeps %d ms per candidate
                (so the cores do not limit it) and returns a fixed score; evolution, population 8, in_flight 16 (the same
                candidate sequence on every row). Seconds: from the search's start to its last committed result.
                `vs ideal` is throughput over executors × 60 s / sleep; `vs 1 executor × n` is throughput over the 1-executor row's × n; overhead per task is
                executors × seconds / candidates − the sleep. Run with `bench/spark-scaling.sh`.

                """, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), sleepMs);
    }
}
