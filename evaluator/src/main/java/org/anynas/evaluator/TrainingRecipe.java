package org.anynas.evaluator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.space.Fidelity;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a candidate is trained, as data: the one specification both trainers read. The DL4J trainers
 * ({@link ProxyTrainer}, {@link FinalTrainer}) take their optimizer, schedule, weight decay, batch-norm settings,
 * seeds and standardisation from it; the PyTorch worker gets it as the "recipe" of every request
 * ({@link #toJson}) and has no defaults of its own. RecipeParityTest holds both trainers to it.
 *
 * @param optimizer   the update rule and its hyper-parameters
 * @param schedule    the learning rate at each optimizer step
 * @param weightDecay decoupled weight decay and the parameters it applies to
 * @param batchNorm   every batch-normalisation layer's epsilon and running-statistics momentum
 * @param seeds       weight initialisation, batch order and random noise (dropout, augmentation)
 * @param stdFloor    the smallest per-channel standard deviation used to standardise inputs (a constant channel
 *                    would otherwise divide by 0)
 * @param augmentation training-time augmentation (none for proxy runs)
 */
public record TrainingRecipe(Optimizer optimizer, Schedule schedule, WeightDecay weightDecay, BatchNorm batchNorm,
                             Seeds seeds, double stdFloor, Augmentation augmentation) {

    /** The kinds of trainable parameter, as both frameworks name them per layer. */
    public enum ParamKind {
        CONV_WEIGHT, DENSE_WEIGHT, BIAS, BN_GAMMA, BN_BETA;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public sealed interface Optimizer permits Adam, Sgd {
    }

    /** Adam with bias correction; the epsilon is added to √v̂. */
    public record Adam(double beta1, double beta2, double epsilon) implements Optimizer {
    }

    /** SGD with momentum; DL4J has only the Nesterov form. */
    public record Sgd(double momentum, boolean nesterov) implements Optimizer {
    }

    /**
     * The learning rate per optimizer step: constant, or cosine from {@code learningRate} to 0 over the run's
     * steps (epochs × batches per epoch), no warm-up. Steps count from 0.
     */
    public record Schedule(Fidelity.Schedule kind, double learningRate, int epochs) {
        public double at(long step, int stepsPerEpoch) {
            if (kind == Fidelity.Schedule.CONSTANT) return learningRate;
            return new CosineSchedule(learningRate, totalSteps(stepsPerEpoch)).valueAt((int) step, 0);
        }

        public int totalSteps(int stepsPerEpoch) {
            return epochs * stepsPerEpoch;
        }
    }

    /** How weight decay is applied; only the decoupled form exists (DL4J's weightDecay). */
    public enum DecayMode {
        /** after the optimizer's step, w ← w − lr·coefficient·w, lr being the step's scheduled rate */
        DECOUPLED
    }

    public record WeightDecay(double coefficient, DecayMode mode, Set<ParamKind> appliesTo) {
        public WeightDecay {
            appliesTo = Set.copyOf(appliesTo);
        }
    }

    /** @param momentum the weight of a batch's statistics in the running ones (PyTorch's; DL4J's decay is 1 − it) */
    public record BatchNorm(double epsilon, double momentum) {
    }

    /**
     * Seeds, as the trainers use them with epochs counted from 0: the weights are drawn from {@code init}, epoch
     * e's batch order is {@code Split.permutation(n, order + e)} (DL4J) or {@code randperm(n, generator(order + e))}
     * (PyTorch), and its random noise (dropout; augmentation in final training) is seeded with {@code noise + e}.
     */
    public record Seeds(long init, long order, long noise) {
        public long order(int epoch) {
            return order + epoch;
        }

        public long noise(int epoch) {
            return noise + epoch;
        }
    }

    /** Adam's usual constants (DL4J's and PyTorch's defaults alike). */
    static final Adam ADAM = new Adam(0.9, 0.999, 1e-8);
    static final Sgd SGD = new Sgd(0.9, true);
    /** Conv and dense weights; not biases, not batch norm (few values, and decaying them only shifts activations). */
    static final Set<ParamKind> DECAYED = EnumSet.of(ParamKind.CONV_WEIGHT, ParamKind.DENSE_WEIGHT);
    /** DL4J's BatchNormalization defaults (eps 1e-5, decay 0.9) = PyTorch's. */
    static final BatchNorm BATCH_NORM = new BatchNorm(1e-5, 0.1);
    public static final double STD_FLOOR = 1e-3;

    /** A proxy run at {@code f}: no augmentation. */
    public static TrainingRecipe proxy(Fidelity f) {
        return of(f, Augmentation.none());
    }

    /** Final training at {@code f} with {@code augmentation}. */
    public static TrainingRecipe finalTraining(Fidelity f, Augmentation augmentation) {
        return of(f, augmentation);
    }

    private static TrainingRecipe of(Fidelity f, Augmentation augmentation) {
        Optimizer optimizer = f.optimizer() == Fidelity.Optimizer.ADAM ? ADAM : SGD;
        return new TrainingRecipe(optimizer, new Schedule(f.schedule(), f.learningRate(), f.epochs()),
                new WeightDecay(f.weightDecay(), DecayMode.DECOUPLED, DECAYED), BATCH_NORM,
                new Seeds(f.seed(), f.seed() * 31, f.seed() * 1_000_003L), STD_FLOOR, augmentation);
    }

    /** The "recipe" object of a worker request (worker.py documents it); every field is required there. */
    public ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode out = json.objectNode();
        ObjectNode opt = out.putObject("optimizer");
        if (optimizer instanceof Adam a) {
            opt.put("kind", "adam").put("beta1", a.beta1()).put("beta2", a.beta2()).put("epsilon", a.epsilon());
        } else if (optimizer instanceof Sgd s) {
            opt.put("kind", "sgd").put("momentum", s.momentum()).put("nesterov", s.nesterov());
        }
        out.putObject("schedule").put("kind", schedule.kind().key()).put("learning_rate", schedule.learningRate())
                .put("epochs", schedule.epochs());
        ObjectNode wd = out.putObject("weight_decay").put("coefficient", weightDecay.coefficient())
                .put("mode", weightDecay.mode().name().toLowerCase(Locale.ROOT));
        ArrayNode kinds = wd.putArray("applies_to");
        weightDecay.appliesTo().stream().map(ParamKind::key).sorted().forEach(kinds::add);
        out.putObject("batch_norm").put("epsilon", batchNorm.epsilon()).put("momentum", batchNorm.momentum());
        out.putObject("seeds").put("init", seeds.init()).put("order", seeds.order()).put("noise", seeds.noise());
        out.put("std_floor", stdFloor);
        out.putObject("augmentation").put("padding", augmentation.padding()).put("flip", augmentation.flip());
        return out;
    }
}
