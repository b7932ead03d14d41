package org.anynas.torch;

import org.anynas.data.Cache;
import org.anynas.data.Dataset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Makes PyTorch worker slots for one dataset: the worker's sources are unpacked and the dataset's splits written
 * once, then each slot is a worker process on one GPU (pinned with CUDA_VISIBLE_DEVICES) or on the CPU. A campaign's
 * own backend ({@link TorchBackend}) and a Spark executor (one slot per task's GPU share) both start their workers here.
 */
public final class TorchSlots {
    private final TorchSettings settings;
    private final TorchProbe probe;
    private final Path sources;
    private final Path data;
    private final String datasetName;
    private final Path log;
    private final Map<String, String> environment;

    private TorchSlots(TorchSettings settings, TorchProbe probe, Path sources, Path data, String datasetName, Path log,
                       Map<String, String> environment) {
        this.settings = settings;
        this.probe = probe;
        this.sources = sources;
        this.data = data;
        this.datasetName = datasetName;
        this.log = log;
        this.environment = Map.copyOf(environment);
    }

    /** @param log the file that receives the workers' stderr */
    public static TorchSlots of(TorchSettings settings, TorchProbe probe, Dataset dataset, Path log, Map<String, String> environment) {
        return new TorchSlots(settings, probe, WorkerSources.unpack(Cache.base()), SplitFiles.write(dataset, Cache.splits()),
                dataset.name(), log, environment);
    }

    /** The identity stored with the scores of workers on CUDA or on the CPU (the score cache's key). */
    public String identity(boolean cuda) {
        return identity(probe.version(), cuda, settings);
    }

    /** As {@link #identity(boolean)}, for PyTorch {@code version} elsewhere (a Spark driver names its executors' trainer). */
    public static String identity(String version, boolean cuda, TorchSettings settings) {
        return "torch " + version + " " + (cuda ? "cuda" : "cpu") + " " + settings.numerics(cuda)
                + ", worker " + org.anynas.trainer.Trainer.EVALUATOR_VERSION;
    }

    /** A worker on the GPU that the driver numbers {@code gpu} (nvidia-smi's index), the only one it sees. */
    public TorchTrainer gpu(String gpu, Duration timeLimit, BooleanSupplier stop) {
        var spec = new TorchWorker.Spec(probe.python(), sources, data, "cuda", gpu, gpu, settings, 2, log, environment);
        return new TorchTrainer(spec, datasetName, identity(true), timeLimit, TorchTrainer.GRACE, stop);
    }

    /** A worker on the CPU with {@code threads} threads. */
    public TorchTrainer cpu(int threads, Duration timeLimit, BooleanSupplier stop) {
        var spec = new TorchWorker.Spec(probe.python(), sources, data, "cpu", "-", null, settings, threads, log, environment);
        return new TorchTrainer(spec, datasetName, identity(false), timeLimit, TorchTrainer.GRACE, stop);
    }
}
