package org.anynas.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and workers, each its own JVM started from Maven's jars
 * (the test classpath), and the executors the workers launch for an application. Workers need a SPARK_HOME with
 * a {@code jars/} folder (empty: executors get the test classpath through {@code spark.executor.extraClassPath}).
 */
final class LoopbackCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private int cores;

    private final Map<String, String> workerProperties;

    private LoopbackCluster(Path dir, int port, Process master, Map<String, String> workerProperties) {
        this.workerProperties = Map.copyOf(workerProperties);
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    /** A master and {@code workers} workers of {@code cores} cores each; returns when all have registered. */
    static LoopbackCluster start(Path dir, int workers, int cores) throws IOException, InterruptedException {
        return start(dir, workers, cores, "3g");
    }

    /** As {@link #start(Path, int, int)}, each worker offering {@code memory} (e.g. "6g") to executors. */
    static LoopbackCluster start(Path dir, int workers, int cores, String memory) throws IOException, InterruptedException {
        return start(dir, workers, cores, memory, Map.of());
    }

    /** As {@link #start(Path, int, int, String)}, each worker JVM with {@code workerProperties} (its resources, e.g. GPUs). */
    static LoopbackCluster start(Path dir, int workers, int cores, String memory, Map<String, String> workerProperties)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("spark-home/jars"));
        int port = freePort();
        Process master = java(dir, "master", Map.of(), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        LoopbackCluster cluster = new LoopbackCluster(dir, port, master, workerProperties);
        try {
            await(dir.resolve("master.log"), "I have been elected leader", Duration.ofSeconds(60));
            for (int i = 0; i < workers; i++) cluster.addWorker(cores, memory);
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Spark properties a driver needs to run our classes on this cluster (and to start once all cores registered). */
    Map<String, String> driverProperties() {
        return Map.of("spark.cores.max", String.valueOf(cores), "spark.scheduler.minRegisteredResourcesRatio", "1.0",
                "spark.scheduler.maxRegisteredResourcesWaitingTime", "30s", "spark.master", url(), "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.extraClassPath", System.getProperty("java.class.path"), "spark.ui.enabled", "false",
                "spark.executor.memory", "1g", "spark.executorEnv.OMP_NUM_THREADS", "1");
    }

    private void addWorker(int cores, String memory) throws IOException, InterruptedException {
        int n = workers.size();
        Path work = Files.createDirectories(dir.resolve("work-" + n));
        this.cores += cores;
        workers.add(java(dir, "worker-" + n, workerProperties, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                String.valueOf(cores), "--memory", memory, "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(), url()));
        await(dir.resolve("worker-" + n + ".log"), "Successfully registered with master", Duration.ofSeconds(60));
    }

    /** Kills worker {@code i} and its executors with SIGKILL, as a machine that drops off the network. */
    void killWorker(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    private static Process java(Path dir, String name, Map<String, String> properties, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void await(Path log, String line, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " within " + limit.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }
}
