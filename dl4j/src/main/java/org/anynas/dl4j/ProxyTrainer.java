package org.anynas.dl4j;

import org.anynas.trainer.Confusion;
import org.anynas.trainer.TrainingProgress;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingLeg;
import org.anynas.trainer.TrainingRecipe;

import org.anynas.data.Dataset;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.InvalidArchitectureException;
import org.anynas.space.OpGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The CPU backend: trains a candidate for a short proxy run with DL4J (oneDNN helpers on), then measures
 * validation accuracy/loss, training throughput and inference latency. Tensors for a fidelity's subsets are
 * prepared once and reused by every candidate.
 */
public final class ProxyTrainer implements Trainer {
    private static final Logger log = LoggerFactory.getLogger(ProxyTrainer.class);
    private static final int EVAL_BATCH = 500;
    /** DL4J's version, from the build (build.properties is filtered by Maven). */
    public static final String DL4J_VERSION = BuildInfo.get("dl4j.version");

    static {
        CpuBackend.activate();
    }

    private final Dataset dataset;
    private final Duration timeLimit;
    private final boolean measureInference;
    private final BooleanSupplier stop;
    private final MemoryLimit memory;
    private final Map<String, Prepared> prepared = new HashMap<>();

    private ProxyTrainer(Dataset dataset, Duration timeLimit, boolean measureInference, BooleanSupplier stop,
                         MemoryLimit memory) {
        this.dataset = dataset;
        this.timeLimit = timeLimit;
        this.measureInference = measureInference;
        this.stop = stop;
        this.memory = memory;
    }

    /** A trainer that may use most of the machine's memory for one candidate at a time. */
    public static ProxyTrainer of(Dataset dataset, Duration timeLimit) {
        return new ProxyTrainer(dataset, timeLimit, true, () -> false, MemoryLimit.machine(1));
    }

    public ProxyTrainer withoutInferenceTiming() {
        return new ProxyTrainer(dataset, timeLimit, false, stop, memory);
    }

    /** Checked every training step: when it answers true the run ends with status {@code interrupted}. */
    public ProxyTrainer withStop(BooleanSupplier stopRequested) {
        return new ProxyTrainer(dataset, timeLimit, measureInference, stopRequested, memory);
    }

    /** Candidates estimated to need more than {@code limit} get status {@code oom} without being built. */
    public ProxyTrainer withMemoryLimit(MemoryLimit limit) {
        return new ProxyTrainer(dataset, timeLimit, measureInference, stop, limit);
    }

    @Override
    public String datasetKey() {
        return dataset.name();
    }

    @Override
    public String identity() {
        return "dl4j " + DL4J_VERSION + (CpuBackend.isCpu() ? " cpu" : " cuda") + ", evaluator " + EVALUATOR_VERSION;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** Checks that the dataset can serve a fidelity; call before a campaign starts. */
    public void check(Fidelity f) {
        dataset.check(f);
    }

    /**
     * A trained network with its measurements and the standardisation of its inputs; the caller owns the network
     * (and its native memory).
     */
    public record TrainedModel(ComputationGraph network, EvaluationResult result, Standardisation standardisation) {
    }

    @Override
    public EvaluationResult evaluate(Architecture architecture, Fidelity fidelity, TrainingLeg leg) {
        return run(architecture, fidelity, leg, false).result();
    }

    /** Like {@link #evaluate} but keeps the trained network (null when training failed). */
    public TrainedModel train(Architecture architecture, Fidelity fidelity) {
        return run(architecture, fidelity, TrainingLeg.whole(fidelity), true);
    }

    private TrainedModel run(Architecture architecture, Fidelity fidelity, TrainingLeg leg, boolean keep) {
        String device = CpuBackend.describe();
        OpGraph graph;
        try {
            graph = architecture.graph();
        } catch (InvalidArchitectureException e) {
            return failed(Status.INVALID, e.getMessage(), List.of(), 0, 0, 0, device);
        }
        check(fidelity);
        java.util.Optional<String> tooBig = memory.exceededBy(graph, fidelity.batchSize());
        if (tooBig.isPresent()) return failed(Status.OOM, tooBig.get(), List.of(), 0, graph.params(), graph.macs(), device);
        TrainingRecipe recipe = TrainingRecipe.proxy(fidelity);
        Prepared data = tensors(fidelity, recipe.stdFloor());
        Tensors train = data.train();
        int batch = fidelity.batchSize();
        int steps = (train.size() + batch - 1) / batch;
        List<Double> epochLoss = new ArrayList<>();
        List<Double> valCurve = new ArrayList<>();
        ComputationGraph net = null;
        boolean kept = false;
        long start = System.nanoTime();
        try {
            if (leg.fromEpoch() > 0) {
                try { // weights, updater state and step count: the schedule goes on where it stopped
                    net = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(leg.resume().toFile(), true);
                    GraphTranslator.installTrainingKernels(net); // as build() does: the same kernels as an unbroken run
                } catch (java.io.IOException | RuntimeException e) {
                    return failed(Status.FAILED, "cannot continue from checkpoint " + leg.resume() + ": " + e.getMessage(),
                            List.of(), 0, graph.params(), graph.macs(), device);
                }
            } else {
                try {
                    net = Dl4jRecipe.network(graph, recipe, steps);
                } catch (RuntimeException e) {
                    return failed(Status.INVALID, "DL4J cannot build it: " + e.getMessage(), List.of(), 0,
                            graph.params(), graph.macs(), device);
                }
            }
            long deadline = start + timeLimit.toNanos();
            for (int epoch = leg.fromEpoch(); epoch < leg.toEpoch(); epoch++) {
                Nd4j.getRandom().setSeed(recipe.seeds().noise(epoch)); // per epoch: a continued run draws the same noise
                int[] order = org.anynas.data.Split.permutation(train.size(), recipe.seeds().order(epoch));
                double lossSum = 0;
                long epochStart = System.nanoTime();
                long images = 0;
                for (int s = 0; s < steps; s++) {
                    int from = s * batch;
                    int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(train.size(), from + batch));
                    INDArray[] xy = train.batch(idx);
                    double loss = fit(net, new DataSet(xy[0], xy[1]));
                    images += idx.length;
                    TrainingProgress.report(epoch + 1, fidelity.epochs(), s + 1, steps, loss, images, epochStart);
                    if (!Double.isFinite(loss)) {
                        epochLoss.add(loss);
                        return failed(Status.DIVERGED, "training loss became " + loss + " in epoch "
                                + (epoch + 1) + " step " + (s + 1), epochLoss, seconds(start), graph.params(), graph.macs(), device);
                    }
                    lossSum += loss * idx.length;
                    if (stop.getAsBoolean()) {
                        return failed(Status.INTERRUPTED, "stopped by the user in epoch " + (epoch + 1), epochLoss,
                                seconds(start), graph.params(), graph.macs(), device);
                    }
                    if (System.nanoTime() > deadline) {
                        return failed(Status.TIMEOUT, "over the " + timeLimit.toSeconds()
                                        + " s limit in epoch " + (epoch + 1), epochLoss, seconds(start), graph.params(),
                                graph.macs(), device);
                    }
                }
                epochLoss.add(lossSum / train.size());
                if (epoch < leg.toEpoch() - 1) valCurve.add(validate(net, data.validation())[0]);
            }
            double trainSeconds = seconds(start);
            if (leg.save() != null) save(net, leg.save());
            double[] val = validate(net, data.validation());
            valCurve.add(val[0]);
            double latency = Double.NaN;
            double throughput = Double.NaN;
            if (measureInference) {
                double[] inf = inference(net, graph, data.validation());
                latency = inf[0];
                throughput = inf[1];
            }
            if (!Double.isFinite(val[1])) {
                return failed(Status.DIVERGED, "validation loss is " + val[1], epochLoss, trainSeconds,
                        graph.params(), graph.macs(), device);
            }
            EvaluationResult ok = new EvaluationResult(Status.OK, "", val[0], val[1], epochLoss, valCurve, trainSeconds,
                    (double) train.size() * leg.epochs() / trainSeconds, latency, throughput,
                    graph.params(), graph.macs(), device, val[2]);
            kept = keep;
            return new TrainedModel(keep ? net : null, ok, data.standardisation());
        } catch (OutOfMemoryError e) {
            return failed(Status.OOM, "Java heap: " + e.getMessage(), epochLoss, seconds(start),
                    graph.params(), graph.macs(), device);
        } catch (RuntimeException e) {
            Status status = isNativeOom(e) ? Status.OOM : Status.FAILED;
            log.warn("candidate failed: {}", e.toString(), e);
            return failed(status, e.toString(), epochLoss, seconds(start), graph.params(), graph.macs(), device);
        } finally {
            if (!kept) release(net);
        }
    }

    /** Written beside the target and moved over it, so a kill leaves the old checkpoint or the new one, never half. */
    private static void save(ComputationGraph net, java.nio.file.Path file) {
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            org.deeplearning4j.util.ModelSerializer.writeModel(net, tmp.toFile(), true);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    private static TrainedModel failed(Status status, String message, List<Double> trainLoss, double seconds,
                                       long params, long macs, String device) {
        return new TrainedModel(null, EvaluationResult.failed(status, message, trainLoss, seconds, params, macs, device), null);
    }

    /**
     * One training step; returns the batch's data loss (mean cross-entropy). DL4J's {@code score()} adds the
     * weight-decay term 0.5·wd·Σw², computed on the parameters the step starts from, so that term is taken
     * before the step and subtracted: a train loss that grows with the weights' norm is not a training loss.
     */
    public static double fit(ComputationGraph net, DataSet batch) {
        double decay = net.calcRegularizationScore(true);
        net.fit(batch);
        return net.score() - decay;
    }

    /** [accuracy, mean cross-entropy] on the validation tensors. */
    /** [accuracy, mean loss, balanced accuracy] of {@code net} on {@code val}. */
    static double[] validate(ComputationGraph net, Tensors val) {
        long correct = 0;
        double loss = 0;
        Confusion confusion = Confusion.of((int) val.classes());
        for (int from = 0; from < val.size(); from += EVAL_BATCH) {
            int to = Math.min(val.size(), from + EVAL_BATCH);
            INDArray[] xy = val.range(from, to);
            INDArray p = net.outputSingle(false, xy[0]);
            INDArray predicted = p.argMax(1);
            INDArray truth = xy[1].argMax(1);
            correct += predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
            long[] p1 = predicted.toLongVector();
            long[] t1 = truth.toLongVector();
            for (int i = 0; i < p1.length; i++) confusion.add((int) t1[i], (int) p1[i]);
            loss -= Transforms.log(p.mul(xy[1]).sum(1).addi(1e-12), false).sumNumber().doubleValue();
        }
        return new double[]{(double) correct / val.size(), loss / val.size(), confusion.balancedAccuracy()};
    }

    /**
     * [ms per image at batch 1, images/s at batch up to 256], after warm-up, measured on a channels-last copy of
     * the trained network: the same parameters, and oneDNN's faster layout for inference on the CPU.
     */
    static double[] inference(ComputationGraph trained, OpGraph graph, Tensors val) {
        ComputationGraph net = GraphTranslator.floats().channelsLast().build(graph, Fidelity.proxy(1, 1, 1, 1), 1);
        try {
            net.setParams(trained.params());
            INDArray one = Tensors.channelsLast(val.range(0, 1)[0]);
            for (int i = 0; i < 5; i++) net.outputSingle(false, one);
            int reps = 30;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) net.outputSingle(false, one);
            double latencyMs = (System.nanoTime() - t0) / 1e6 / reps;
            int n = Math.min(256, val.size());
            INDArray big = Tensors.channelsLast(val.range(0, n)[0]);
            net.outputSingle(false, big);
            long t1 = System.nanoTime();
            int bigReps = 3;
            for (int i = 0; i < bigReps; i++) net.outputSingle(false, big);
            double perSec = (double) n * bigReps / ((System.nanoTime() - t1) / 1e9);
            return new double[]{latencyMs, perSec};
        } finally {
            net.clear();
        }
    }

    /** A fidelity's training and validation tensors, standardised with the training subset's statistics. */
    private record Prepared(Tensors train, Tensors validation, Standardisation standardisation) {
    }

    private synchronized Prepared tensors(Fidelity f, double stdFloor) {
        String key = f.trainSize() + "/" + f.valSize() + "/" + stdFloor;
        return prepared.computeIfAbsent(key, k -> {
            var trainSet = dataset.train().first(f.trainSize());
            Standardisation norm = Standardisation.of(trainSet, stdFloor);
            return new Prepared(Tensors.of(trainSet, norm.asArrays()),
                    Tensors.of(dataset.validation().first(f.valSize()), norm.asArrays()), norm);
        });
    }

    private static void release(ComputationGraph net) {
        if (net != null) net.clear();
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    private static boolean isNativeOom(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("out of memory") || m.contains("failed to allocate") || m.contains("cannot allocate")) return true;
        }
        return false;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
