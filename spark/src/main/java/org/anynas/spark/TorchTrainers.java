package org.anynas.spark;

import org.anynas.evaluator.Trainer;
import org.anynas.evaluator.data.Dataset;
import org.anynas.evaluator.torch.TorchProbe;
import org.anynas.evaluator.torch.TorchSlots;
import org.anynas.search.CampaignConfig;
import org.anynas.space.UserInputException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code backend: torch} on Spark executors: each executor trains its tasks on PyTorch worker processes that stay
 * alive across tasks ({@link TaskWorkers}). A task to which Spark gave a GPU trains on it; with
 * {@code spark.task.resource.gpu.amount} below 1 several tasks share a GPU, each on its own worker.
 *
 * @param version PyTorch's version on the executors (probed by a task when the campaign starts)
 * @param gpu     whether tasks train on their GPU: Spark assigns GPUs to tasks, and {@code torch.device} is not cpu
 */
record TorchTrainers(String version, boolean gpu, String numerics, String identity) implements TrainerFactory {
    static final String TASK_GPU_AMOUNT = "spark.task.resource.gpu.amount";

    /** Checks what the campaign asks against the cluster, and probes PyTorch on an executor. */
    static TorchTrainers probe(JavaSparkContext spark, CampaignConfig config) {
        SparkConf conf = spark.getConf();
        boolean gpus = conf.contains(TASK_GPU_AMOUNT) && conf.getDouble(TASK_GPU_AMOUNT, 0) > 0;
        String device = config.torch().device();
        if (device.equals("cuda") && !gpus) {
            throw new UserInputException("torch.device is cuda, but Spark gives tasks no GPU: set " + TASK_GPU_AMOUNT
                    + " (e.g. 0.25 for four tasks per GPU) and the executors' spark.executor.resource.gpu.* settings");
        }
        boolean onGpu = gpus && !device.equals("cpu");
        String python = config.torch().python();
        String[] found = spark.parallelize(List.of(0), 1).map(i -> probeHere(python, onGpu)).collect().get(0);
        if (found[1] != null) throw new UserInputException(found[1]);
        return new TorchTrainers(found[0], onGpu, config.torch().numerics(),
                TorchSlots.identity(found[0], onGpu, config.torch())); // as on one machine: the score cache is shared
    }

    /** On an executor: {version, problem}. */
    private static String[] probeHere(String python, boolean onGpu) {
        TorchProbe.Result r = TorchProbe.probe(python);
        String where = "executor " + EvaluateTask.where();
        if (r.torch().isEmpty()) {
            return new String[]{null, "backend torch on Spark needs PyTorch on every executor, but on " + where + " " + r.problem()
                    + ": install it there, or set torch.python to an interpreter that has it"};
        }
        TorchProbe t = r.torch().get();
        if (onGpu && !t.cuda()) {
            return new String[]{null, "Spark gives tasks GPUs, but PyTorch " + t.version() + " on " + where
                    + " has no CUDA: install a CUDA build there, or set torch.device: cpu"};
        }
        return new String[]{t.version(), null};
    }

    @Override
    public Trainer create(CampaignConfig config, Dataset dataset, int slots) {
        TorchProbe probe = TorchProbe.probe(config.torch().python()).torch().orElseThrow(() ->
                new UserInputException("PyTorch is not importable by " + config.torch().python() + " on this executor"));
        if (!probe.version().equals(version)) {
            throw new UserInputException("executor " + EvaluateTask.where() + " has PyTorch " + probe.version() + ", another has "
                    + version + ": scores of different versions are not comparable; install one version on every executor");
        }
        int threads = EvaluateTask.taskCpus();
        TorchSlots make = TorchSlots.of(config.torch(), probe, dataset, Path.of("anynas-torch-workers.log").toAbsolutePath(), Map.of());
        return TaskWorkers.of(make, gpu, threads, java.time.Duration.ofSeconds((long) (config.candidateTimeLimitMinutes() * 60)),
                identity, dataset.name());
    }
}
