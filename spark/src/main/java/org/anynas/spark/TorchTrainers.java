package org.anynas.spark;

import org.anynas.trainer.NvidiaGpus;
import org.anynas.trainer.Trainer;
import org.anynas.data.Dataset;
import org.anynas.torch.TorchProbe;
import org.anynas.torch.TorchSlots;
import org.anynas.campaign.Backend;
import org.anynas.campaign.BackendChoice;
import org.anynas.campaign.CampaignConfig;
import org.anynas.space.UserInputException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code backend: torch} on Spark executors: each executor trains its tasks on PyTorch worker processes that stay
 * alive across tasks ({@link TaskWorkers}). A task to which Spark gave a GPU trains on it; with
 * {@code spark.task.resource.gpu.amount} below 1 several tasks share a GPU, each on its own worker.
 *
 * @param version PyTorch's version on the executors (probed by a task when the campaign starts)
 * @param gpu     whether tasks train on their GPU: Spark assigns GPUs to tasks, and {@code torch.device} is not cpu
 */
record TorchTrainers(String version, boolean gpu, String identity) implements TrainerFactory {
    static final String TASK_GPU_AMOUNT = "spark.task.resource.gpu.amount";

    /**
     * {@code backend: torch} or {@code auto} on the cluster: checks what the campaign asks against the cluster, and
     * probes PyTorch on an executor. {@code auto} follows {@link BackendChoice#resolve}, with Spark's facts: tasks
     * given GPUs stand for "an NVIDIA GPU is here", the executor's PyTorch for this machine's; else DL4J on the CPU.
     */
    static TrainerFactory choose(JavaSparkContext spark, CampaignConfig config) {
        SparkConf conf = spark.getConf();
        boolean gpus = conf.contains(TASK_GPU_AMOUNT) && conf.getDouble(TASK_GPU_AMOUNT, 0) > 0;
        String device = config.torch().device();
        Backend choice = config.backendChoice();
        if (choice == Backend.TORCH && device.equals("cuda") && !gpus) {
            throw new UserInputException("torch.device is cuda, but Spark gives tasks no GPU: set " + TASK_GPU_AMOUNT
                    + " (e.g. 0.25 for four tasks per GPU) and the executors' spark.executor.resource.gpu.* settings");
        }
        boolean onGpu = gpus && !device.equals("cpu");
        String python = config.torch().python();
        Found[] found = new Found[1]; // one executor probe, asked only when the choice needs it
        Supplier<Found> executor = () -> {
            if (found[0] == null) found[0] = spark.parallelize(List.of(0), 1).map(i -> probeHere(python)).collect().get(0);
            return found[0];
        };
        BackendChoice chosen = BackendChoice.resolve(choice, new BackendChoice.Probe() {
            public boolean nvidiaDevice() {
                return gpus;
            }

            public TorchProbe.Result torch() {
                Found f = executor.get();
                return new TorchProbe.Result(Optional.ofNullable(f.torch()), f.problem());
            }

            public Optional<List<NvidiaGpus.Gpu>> nvidiaGpus() {
                throw new IllegalStateException("dl4j-cuda is refused on Spark with the campaign");
            }

            public boolean nd4jCudaBuilt() {
                throw new IllegalStateException("dl4j-cuda is refused on Spark with the campaign");
            }
        });
        if (chosen.backend() == Backend.DL4J) return Dl4jTrainers.of();
        if (chosen.refusal().isPresent()) {
            throw new UserInputException("backend torch on Spark needs PyTorch on every executor, but on executor " + executor.get().where()
                    + " " + executor.get().problem() + ": install it there, or set torch.python to an interpreter that has it");
        }
        TorchProbe t = chosen.torch().orElseThrow();
        if (onGpu && !t.cuda()) {
            throw new UserInputException("Spark gives tasks GPUs, but PyTorch " + t.version() + " on executor " + executor.get().where()
                    + " has no CUDA: install a CUDA build there, or set torch.device: cpu");
        }
        return new TorchTrainers(t.version(), onGpu,
                TorchSlots.identity(t.version(), onGpu, config.torch())); // as on one machine: the score cache is shared
    }

    /** What an executor's PyTorch probe found, sent to the driver. */
    private record Found(TorchProbe torch, String problem, String where) implements Serializable {
    }

    /** On an executor. */
    private static Found probeHere(String python) {
        TorchProbe.Result r = TorchProbe.probe(python);
        return new Found(r.torch().orElse(null), r.problem(), EvaluateTask.where());
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
