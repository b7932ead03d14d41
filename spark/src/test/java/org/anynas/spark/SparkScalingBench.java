package org.anynas.spark;

import org.anynas.search.CampaignConfig;
import org.anynas.search.CampaignRunner;
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
        int perExecutor = Integer.getInteger("anynas.bench.candidatesPerExecutor", 6);
        List<String> lines = new ArrayList<>();
        try (LoopbackCluster cluster = LoopbackCluster.start(dir.resolve("cluster"), 1, 8)) {
            cluster.driverProperties().forEach(System::setProperty);
            System.setProperty("spark.executor.cores", "1");
            System.setProperty("spark.executor.memory", "512m");
            System.setProperty(SparkPoolProvider.TRAINER_FACTORY, SleepingTrainers.class.getName());

            // per-task overhead: one executor, one candidate at a time, a trainer that does not sleep
            System.setProperty("anynas.bench.sleepMs", "0");
            int quick = 60;
            Run overhead = run(dir, "overhead", 1, quick, 1);
            double overheadMs = overhead.seconds() * 1000 / quick;

            System.setProperty("anynas.bench.sleepMs", String.valueOf(sleepMs));
            double single = 0;
            lines.add("| executors | candidates | seconds | candidates/min | ideal/min | vs linear | overhead per task (ms) |");
            lines.add("|---:|---:|---:|---:|---:|---:|---:|");
            for (int n : new int[]{1, 2, 4, 8}) {
                int count = perExecutor * n;
                Run r = run(dir, "scale" + n, n, count, 16);
                double perMin = count * 60 / r.seconds();
                double ideal = n * 60_000.0 / sleepMs;
                if (n == 1) single = perMin;
                double taskOverhead = (r.seconds() * n / count - sleepMs / 1000.0) * 1000;
                lines.add(String.format("| %d | %d | %.1f | %.2f | %.2f | %.3f× | %.0f |", n, count, r.seconds(), perMin, ideal,
                        perMin / (single * n), taskOverhead));
                System.err.println(lines.get(lines.size() - 1));
            }
            cluster.driverProperties().keySet().forEach(System::clearProperty);
            lines.add("");
            lines.add(String.format("Per-task round trip (one executor, in_flight 1, trainer returns at once, %d candidates): %.1f ms "
                    + "(proposal, task serialisation, scheduling, result, H2 commit).", quick, overheadMs));
        } finally {
            stopApplication();
            for (String k : List.of("spark.executor.cores", "spark.executor.memory", SparkPoolProvider.TRAINER_FACTORY, "anynas.bench.sleepMs")) {
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

    /** A campaign on {@code executors} one-core executors (a new application each); seconds from start to last result. */
    private static Run run(Path dir, String name, int executors, int candidates, int inFlight) {
        stopApplication();
        System.setProperty("spark.cores.max", String.valueOf(executors));
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
                application gets 1, 2, 4 or 8 one-core executors (`spark.executor.cores=1`, `spark.cores.max`), a fresh
                application per row, started after all its executors registered. The trainer sleeps %d ms per candidate
                (so the cores do not limit it) and returns a fixed score; evolution, population 8, in_flight 16 (the same
                candidate sequence on every row). Seconds: from the search's start to its last committed result.
                `vs linear` is throughput over (1-executor throughput × executors); overhead per task is
                executors × seconds / candidates − the sleep. Run with `bench/spark-scaling.sh`.

                """, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), sleepMs);
    }
}
