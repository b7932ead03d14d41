package org.anynas.spark;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingLeg;
import org.anynas.search.EvaluationPool;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.UserInputException;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * An {@link EvaluationPool} on a Spark cluster: each submitted candidate becomes a one-task job at once (executors
 * never wait for a generation), and its future completes on the driver when the task's result arrives, where
 * the search commits it. All jobs share one job group, so a stop (Ctrl-C) or close cancels them together.
 */
final class SparkPool implements EvaluationPool {
    private final JavaSparkContext spark;
    private final String configYaml;
    private final TrainerFactory factory;
    private final String checksum;
    private final int slots;
    private final String group = "anynas-" + UUID.randomUUID();
    private final ExecutorService jobs;
    private final BooleanSupplier stop;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicLong busyNanos = new AtomicLong();
    private final Thread watcher;
    private volatile long firstSubmit;

    private SparkPool(JavaSparkContext spark, String configYaml, TrainerFactory factory, String checksum, int slots, BooleanSupplier stop) {
        this.spark = spark;
        this.configYaml = configYaml;
        this.factory = factory;
        this.checksum = checksum;
        this.slots = slots;
        this.stop = stop;
        // a blocking collect() per candidate in flight: Spark's scheduler, not this pool, decides where it runs
        this.jobs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "anynas-spark-job");
            t.setDaemon(true);
            return t;
        });
        this.watcher = new Thread(this::watchStop, "anynas-spark-stop");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * @param checksum the driver's {@link DatasetChecksum}: every executor's must equal it
     * @param slots    task slots of the cluster when the campaign started (reported, and the utilisation's base)
     */
    static SparkPool of(JavaSparkContext spark, String configYaml, TrainerFactory factory, String checksum, int slots, BooleanSupplier stop) {
        return new SparkPool(spark, configYaml, factory, checksum, slots, stop);
    }

    @Override
    public CompletableFuture<EvaluationResult> submit(Architecture architecture, Fidelity fidelity, TrainingLeg leg) {
        if (leg.fromEpoch() != 0 || leg.toEpoch() != fidelity.epochs() || leg.save() != null) {
            throw new IllegalArgumentException("a Spark task trains a candidate's whole schedule (multi_fidelity is refused with executor: spark)");
        }
        if (firstSubmit == 0) firstSubmit = System.nanoTime();
        EvaluateTask task = EvaluateTask.of(configYaml, architecture, fidelity, factory);
        return CompletableFuture.supplyAsync(() -> run(task, architecture), jobs);
    }

    private EvaluationResult run(EvaluateTask task, Architecture architecture) {
        if (cancelled.get()) return interrupted(architecture);
        spark.setJobGroup(group, "anynas candidate", true); // interrupt the executor's thread on cancel
        WireResult w;
        try {
            w = spark.parallelize(List.of(0), 1).map(task).collect().get(0);
        } catch (Exception e) { // Scala throws SparkException (checked) undeclared
            if (cancelled.get()) return interrupted(architecture);
            // Spark gave up on the task (spark.task.maxFailures lost executors): the campaign fails, --resume continues
            throw e instanceof RuntimeException r ? r : new IllegalStateException("Spark gave up on a candidate: " + e.getMessage(), e);
        }
        if (w.problem() != null) throw new UserInputException(w.problem());
        if (!w.datasetChecksum().equals(checksum)) {
            throw new UserInputException("executor " + w.host() + " sees different data than the driver (dataset checksum "
                    + w.datasetChecksum() + ", driver " + checksum + "): install the same dataset files (data_dir) on every node");
        }
        busyNanos.addAndGet((long) (w.taskSeconds() * 1e9));
        return w.result();
    }

    private static EvaluationResult interrupted(Architecture a) {
        return EvaluationResult.failed(Status.INTERRUPTED, "stopped by the user (Spark job cancelled)", List.of(), 0,
                a.graph().params(), a.graph().macs(), "spark executor");
    }

    /** Ctrl-C sets the stop flag on the driver only: the running jobs are cancelled from here. */
    private void watchStop() {
        try {
            while (!cancelled.get()) {
                if (stop.getAsBoolean()) {
                    cancel();
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancel() {
        if (!cancelled.getAndSet(true)) spark.sc().cancelJobGroup(group);
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public String trainerIdentity() {
        return factory.identity();
    }

    @Override
    public double utilisation() {
        long start = firstSubmit;
        if (start == 0) return Double.NaN;
        return Math.min(1.0, busyNanos.get() / ((double) (System.nanoTime() - start) * slots));
    }

    /** Cancels what still runs; the SparkContext stays, owned by the application (spark-submit stops it). */
    @Override
    public void close() {
        cancel();
        watcher.interrupt();
        jobs.shutdownNow();
    }
}
