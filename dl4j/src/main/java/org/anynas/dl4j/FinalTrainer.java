package org.anynas.dl4j;

import org.anynas.trainer.EpochState;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingRecipe;

import org.anynas.space.UserInputException;
import org.anynas.data.Dataset;
import org.anynas.data.ImageSet;
import org.anynas.data.Split;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.OpGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Full training of a chosen architecture: the fidelity's epochs over its training images, optionally
 * augmented, validating after every epoch and keeping the weights of the best epoch; the test set is measured
 * once, on those weights, at the very end. The search never calls this, so test accuracy cannot steer it.
 */
public final class FinalTrainer {

    static {
        CpuBackend.activate();
    }

    /** One finished epoch, as shown to the user while training runs; {@code resumed}: an earlier run trained it. */
    public record Epoch(int epoch, int epochs, double trainLoss, double valAccuracy, double valLoss, double seconds,
                        boolean best, boolean resumed) {
    }

    /** Receives each epoch as it finishes. */
    public interface Listener {
        void epoch(Epoch e);
    }

    /**
     * What full training produced. {@code network} holds the best epoch's weights (null when no epoch
     * finished); test scores are NaN then. {@code standardisation} is what the network's inputs went through.
     */
    public record Outcome(Status status, String message, ComputationGraph network, EvaluationResult result,
                          List<Epoch> epochs, int bestEpoch, double testAccuracy, double testLoss, int testSize,
                          Standardisation standardisation) {
        public Outcome {
            epochs = List.copyOf(epochs);
        }
    }

    private final Dataset dataset;
    private final BooleanSupplier stop;
    private final EpochState state;

    private FinalTrainer(Dataset dataset, BooleanSupplier stop, EpochState state) {
        this.dataset = dataset;
        this.stop = stop;
        this.state = state;
    }

    public static FinalTrainer of(Dataset dataset) {
        return new FinalTrainer(dataset, () -> false, null);
    }

    /** Checked every step: when it answers true, training ends and the best finished epoch is kept. */
    public FinalTrainer withStop(BooleanSupplier stopRequested) {
        return new FinalTrainer(dataset, stopRequested, state);
    }

    /**
     * Keeps the training's state in {@code epochState} after each finished epoch and, when it holds this training's
     * state, goes on after its last epoch (the earlier epochs reach the listener first, marked resumed); null: none.
     */
    public FinalTrainer withState(EpochState epochState) {
        return new FinalTrainer(dataset, stop, epochState);
    }

    /**
     * Trains {@code arch} at {@code fidelity} with the final ingredients {@code fin}; with an EMA of the weights, the
     * average is what is validated, kept, tested and returned.
     */
    public Outcome train(Architecture arch, Fidelity fidelity, TrainingRecipe.Final fin, Listener listener) {
        if (!arch.input().equals(dataset.shape()) || arch.classes() != dataset.classes()) {
            throw new UserInputException("the architecture expects " + arch.input() + " input and " + arch.classes()
                    + " classes but " + dataset.name() + " has " + dataset.shape() + " and " + dataset.classes()
                    + "; use an architecture sampled for this dataset");
        }
        OpGraph graph = arch.graph();
        TrainingRecipe recipe = TrainingRecipe.finalTraining(fidelity, fin);
        ImageSet trainSet = dataset.train().first(fidelity.trainSize());
        Standardisation standardisation = Standardisation.of(trainSet, recipe.stdFloor());
        float[][] norm = standardisation.asArrays();
        int n = trainSet.size();
        // augmented batches are made from the raw bytes; only un-augmented training needs the standardised copy
        BiFunction<int[], SplittableRandom, INDArray[]> batches;
        if (recipe.augmentation().active()) {
            batches = (idx, random) -> Tensors.augmented(recipe.augmentation(), trainSet, norm, idx, random);
        } else {
            Tensors train = Tensors.of(trainSet, norm);
            batches = (idx, random) -> train.batch(idx);
        }
        Tensors val = Tensors.of(dataset.validation().first(fidelity.valSize()), norm);
        int batch = fidelity.batchSize();
        int steps = (n + batch - 1) / batch;
        String device = CpuBackend.describe();

        double emaDecay = recipe.ema().decay();
        FinalTrainingState earlier = state == null ? null : FinalTrainingState.load(state, recipe.ema().on());
        ComputationGraph net;
        INDArray shadow;
        List<Epoch> epochs = new ArrayList<>();
        List<Double> trainLoss = new ArrayList<>();
        List<Double> valCurve = new ArrayList<>();
        INDArray best = null;
        int bestEpoch = 0;
        double bestAcc = -1;
        double bestLoss = Double.NaN;
        double before = 0; // seconds an earlier run spent
        long stepNanos = 0; // training steps only, for an img/s comparable with the proxy runs
        if (earlier == null) {
            net = Dl4jRecipe.network(graph, recipe, steps);
            shadow = recipe.ema().on() ? net.params().dup() : null; // the whole state: BN running statistics are params
            // final training draws its noise from one stream seeded once, and numbers its epochs from 1 in the
            // batch-order and augmentation seeds (the PyTorch worker from 0): kept so final runs reproduce
            Nd4j.getRandom().setSeed(recipe.seeds().init());
        } else {
            net = earlier.net();
            shadow = earlier.shadow();
            Nd4j.getRandom().setStates(earlier.rootState(), earlier.nodeState());
            best = earlier.best();
            bestEpoch = earlier.bestEpoch();
            bestAcc = earlier.bestAcc();
            bestLoss = earlier.bestLoss();
            before = earlier.seconds();
            stepNanos = earlier.stepNanos();
            for (Epoch e : earlier.epochs()) {
                epochs.add(e);
                trainLoss.add(e.trainLoss());
                valCurve.add(e.valAccuracy());
                listener.epoch(e);
            }
        }
        Status status = Status.OK;
        String message = "";
        long start = System.nanoTime();
        training:
        for (int epoch = epochs.size() + 1; epoch <= fidelity.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            int[] order = Split.permutation(n, recipe.seeds().order(epoch));
            SplittableRandom random = new SplittableRandom(recipe.seeds().noise(epoch));
            double lossSum = 0;
            for (int s = 0; s < steps; s++) {
                int[] idx = Arrays.copyOfRange(order, s * batch, Math.min(n, (s + 1) * batch));
                INDArray[] xy = batches.apply(idx, random);
                double loss = ProxyTrainer.fit(net, new DataSet(xy[0], Dl4jRecipe.smooth(xy[1], recipe.labelSmoothing())));
                if (shadow != null) Dl4jRecipe.emaUpdate(shadow, net.params(), emaDecay);
                if (!Double.isFinite(loss)) {
                    status = Status.DIVERGED;
                    message = "training loss became " + loss + " in epoch " + epoch + "; try a lower learning rate";
                    break training;
                }
                lossSum += loss * idx.length;
                if (stop.getAsBoolean()) {
                    status = Status.INTERRUPTED;
                    message = "stopped by the user in epoch " + epoch;
                    break training;
                }
            }
            stepNanos += System.nanoTime() - epochStart;
            INDArray trained = shadow == null ? null : net.params().dup();
            if (shadow != null) net.setParams(shadow); // the average is what is validated and kept
            double[] v = ProxyTrainer.validate(net, val);
            boolean improved = v[0] > bestAcc;
            if (improved) {
                bestAcc = v[0];
                bestLoss = v[1];
                bestEpoch = epoch;
                best = net.params().dup(); // BN running statistics are part of DL4J's params, so this is the whole model
            }
            if (trained != null) net.setParams(trained);
            trainLoss.add(lossSum / n);
            valCurve.add(v[0]);
            Epoch e = new Epoch(epoch, fidelity.epochs(), lossSum / n, v[0], v[1],
                    (System.nanoTime() - epochStart) / 1e9, improved, false);
            epochs.add(e);
            if (state != null) {
                new FinalTrainingState(net, shadow, best, bestEpoch, bestAcc, bestLoss, epochs, Nd4j.getRandom().rootState(),
                        Nd4j.getRandom().nodeState(), before + (System.nanoTime() - start) / 1e9, stepNanos).save(state);
            }
            listener.epoch(e);
        }
        double seconds = before + (System.nanoTime() - start) / 1e9;
        if (best == null) {
            net.clear();
            return new Outcome(status, message, null, EvaluationResult.failed(status, message, trainLoss, seconds,
                    graph.params(), graph.macs(), device), epochs, 0, Double.NaN, Double.NaN, 0,
                    standardisation);
        }
        net.setParams(best);
        // a folder without a test split: scores stay NaN, the validation accuracy is the only one
        Tensors test = dataset.hasTest() ? Tensors.of(dataset.test(), norm) : null;
        double[] t = test == null ? new double[]{Double.NaN, Double.NaN} : ProxyTrainer.validate(net, test);
        double[] inference = ProxyTrainer.inference(net, graph, val);
        EvaluationResult result = new EvaluationResult(status, message, bestAcc, bestLoss, trainLoss, valCurve, seconds,
                (double) n * epochs.size() / (stepNanos / 1e9), inference[0], inference[1], graph.params(), graph.macs(), device);
        return new Outcome(status, message, net, result, epochs, bestEpoch, t[0], t[1], test == null ? 0 : test.size(), standardisation);
    }
}
