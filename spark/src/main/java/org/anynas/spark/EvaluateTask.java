package org.anynas.spark;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.Json;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;

import java.io.Serializable;
import java.util.List;

/**
 * One candidate as a Spark task: the campaign and the candidate go out as text, the result comes back as a
 * {@link WireResult}. A candidate that fails on its own (diverged, oom, invalid, even a trainer bug) is a result,
 * so Spark never retries it; Spark retries a task only when its executor is lost, and the driver sees one result.
 */
record EvaluateTask(String configYaml, String architectureJson, String fidelityJson, TrainerFactory factory)
        implements Function<Integer, WireResult>, Serializable {

    static EvaluateTask of(String configYaml, Architecture architecture, Fidelity fidelity, TrainerFactory factory) {
        try {
            return new EvaluateTask(configYaml, ArchitectureJson.write(architecture), Json.json().writeValueAsString(fidelity), factory);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public WireResult call(Integer ignored) {
        String host = where();
        long t0 = System.nanoTime();
        ExecutorTrainers.Loaded loaded;
        try {
            loaded = ExecutorTrainers.get(configYaml, factory, slots());
        } catch (RuntimeException e) {
            return WireResult.problem("executor " + host + " cannot train (its dataset or trainer does not load): " + e.getMessage(), host);
        }
        Architecture a = ArchitectureJson.read(architectureJson);
        EvaluationResult r;
        try {
            Fidelity fidelity = Json.json().readValue(fidelityJson, Fidelity.class);
            r = loaded.trainer().evaluate(a, fidelity, TrainingLeg.whole(fidelity));
        } catch (Exception | OutOfMemoryError e) {
            // a trainer that throws has a bug for this candidate: retrying elsewhere would throw again
            r = EvaluationResult.failed(Status.FAILED, "on executor " + host + ": " + e, List.of(), 0, 0, 0, "spark executor");
        }
        // the database says where each candidate trained: executor, and the GPU share and worker that trained it
        String slot = loaded.trainer() instanceof TaskWorkers w && w.slotOfThisTask() != null ? ", " + w.slotOfThisTask() : "";
        r = r.withDevice(r.device() + " [spark executor " + host + slot + "]");
        return WireResult.of(r, loaded.checksum(), host, (System.nanoTime() - t0) / 1e9);
    }

    /** This executor, as {@code id@host}. */
    static String where() {
        return SparkEnv.get() == null ? "?" : SparkEnv.get().executorId() + "@" + hostName();
    }

    /** Cores a task takes ({@code spark.task.cpus}), the threads its training may use. */
    static int taskCpus() {
        var conf = SparkEnv.get() == null ? null : SparkEnv.get().conf();
        return conf == null ? 1 : Math.max(1, conf.getInt("spark.task.cpus", 1));
    }

    /** Task slots of this executor: its cores over the cores a task takes. */
    private static int slots() {
        var conf = SparkEnv.get() == null ? null : SparkEnv.get().conf();
        if (conf == null) return 1;
        int cores = conf.getInt("spark.executor.cores", Runtime.getRuntime().availableProcessors());
        return Math.max(1, cores / taskCpus());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
