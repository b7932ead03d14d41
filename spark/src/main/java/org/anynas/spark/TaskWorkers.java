package org.anynas.spark;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingLeg;
import org.anynas.torch.TorchSlots;
import org.anynas.torch.TorchTrainer;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * An executor's PyTorch workers: a task trains on an idle worker of the GPU Spark gave it (or of the CPU), and a new
 * worker starts only when all of that GPU's are busy, so a GPU shared by n tasks ends up with n workers that live as
 * long as the executor. Each worker sees only its GPU (CUDA_VISIBLE_DEVICES).
 */
final class TaskWorkers implements Trainer {
    private final TorchSlots make;
    private final boolean gpu;
    private final int threads;
    private final Duration timeLimit;
    private final String identity;
    private final String datasetKey;
    private final Map<String, Deque<TorchTrainer>> idle = new HashMap<>(); // by slot key: "gpu 0", "cpu"
    private final Map<String, Integer> started = new HashMap<>();
    private final Map<TorchTrainer, String> names = new HashMap<>();
    private final ThreadLocal<String> slotOfTask = new ThreadLocal<>();

    private TaskWorkers(TorchSlots make, boolean gpu, int threads, Duration timeLimit, String identity, String datasetKey) {
        this.datasetKey = datasetKey;
        this.make = make;
        this.gpu = gpu;
        this.threads = threads;
        this.timeLimit = timeLimit;
        this.identity = identity;
    }

    /** Workers for one campaign on this executor; they exit with the executor's JVM (their stdin closes). */
    static TaskWorkers of(TorchSlots make, boolean gpu, int threads, Duration timeLimit, String identity, String datasetKey) {
        return new TaskWorkers(make, gpu, threads, timeLimit, identity, datasetKey);
    }

    @Override
    public EvaluationResult evaluate(Architecture architecture, Fidelity fidelity, TrainingLeg leg) {
        String address = taskGpu();
        if (gpu && address == null) {
            throw new IllegalStateException("Spark gave this task no GPU although the application asks for them");
        }
        String key = address == null ? "cpu" : "gpu " + address;
        TorchTrainer worker = take(key, gpu ? address : null);
        try {
            slotOfTask.set(names.get(worker));
            return worker.evaluate(architecture, fidelity, leg);
        } finally {
            release(key, worker);
        }
    }

    /** Where the calling task trained: "gpu 0, worker 2" (the second worker started for GPU 0). */
    String slotOfThisTask() {
        return slotOfTask.get();
    }

    private synchronized TorchTrainer take(String key, String gpuAddress) {
        TorchTrainer w = idle.computeIfAbsent(key, k -> new ArrayDeque<>()).poll();
        if (w != null) return w;
        // a killed task (its job cancelled on the driver) stops its training like a local Ctrl-C
        w = gpuAddress != null ? make.gpu(gpuAddress, timeLimit, TaskWorkers::taskKilled) : make.cpu(threads, timeLimit, TaskWorkers::taskKilled);
        int n = started.merge(key, 1, Integer::sum);
        names.put(w, key + ", worker " + n);
        return w;
    }

    private synchronized void release(String key, TorchTrainer worker) {
        idle.get(key).push(worker);
    }

    /** The first GPU address Spark assigned to the calling task, or null. */
    private static String taskGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) return null;
        ResourceInformation r = task.resourcesJMap().get("gpu");
        return r == null || r.addresses().length == 0 ? null : r.addresses()[0];
    }

    private static boolean taskKilled() {
        TaskContext task = TaskContext.get();
        return task != null && task.isInterrupted();
    }

    @Override
    public String datasetKey() {
        return datasetKey;
    }

    @Override
    public String identity() {
        return identity;
    }
}
