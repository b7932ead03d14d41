package org.anynas.trainer;


import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.space.Fidelity;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a candidate is trained, as data: the one specification both trainers read. The DL4J trainers
 * ({@code ProxyTrainer}, {@code FinalTrainer}) take their optimizer, schedule, weight decay, batch-norm settings,
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
 * @param labelSmoothing ε of label smoothing: the loss is cross-entropy against (1 − ε)·one-hot + ε/K (K classes),
 *                    which is PyTorch's CrossEntropyLoss(label_smoothing = ε); 0 for proxy runs
 * @param ema         the final training's exponential moving average of the weights (off for proxy runs)
 */
public record TrainingRecipe(Optimizer optimizer, Schedule schedule, WeightDecay weightDecay, BatchNorm batchNorm,
                             Seeds seeds, double stdFloor, Augmentation augmentation, double labelSmoothing, Ema ema) {

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
     * steps (epochs × batches per epoch) after a linear warm-up over the first {@code warmupEpochs} epochs' steps
     * ({@link #cosineAt}; DL4J's {@code CosineSchedule} and the worker's training.lr_at compute the same). Steps count
     * from 0.
     */
    public record Schedule(Fidelity.Schedule kind, double learningRate, int epochs, int warmupEpochs) {
        public Schedule {
            if (warmupEpochs < 0 || (warmupEpochs > 0 && (kind != Fidelity.Schedule.COSINE || warmupEpochs >= epochs))) {
                throw new org.anynas.space.UserInputException("warm-up must be 0.." + (epochs - 1)
                        + " epochs of a cosine schedule over " + epochs + " epochs, got " + warmupEpochs);
            }
        }

        public double at(long step, int stepsPerEpoch) {
            if (kind == Fidelity.Schedule.CONSTANT) return learningRate;
            return cosineAt(learningRate, totalSteps(stepsPerEpoch), warmupEpochs * stepsPerEpoch, (int) step);
        }

        /** The cosine schedule's learning rate at {@code step}: linear warm-up, then cosine from {@code initial} to 0. */
        public static double cosineAt(double initial, int totalSteps, int warmupSteps, int step) {
            int total = Math.max(1, totalSteps);
            int warmup = Math.max(0, warmupSteps);
            if (step < warmup) return initial * (step + 1) / warmup;
            double progress = Math.min(1.0, (double) (step - warmup) / Math.max(1, total - warmup));
            return initial * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        public int totalSteps(int stepsPerEpoch) {
            return epochs * stepsPerEpoch;
        }
    }

    /**
     * An exponential moving average of the weights, as timm's ModelEmaV2: a shadow copy of the whole model state
     * (weights and the batch norms' running statistics alike) starts as the initial model and after every optimizer
     * step (and its weight decay) becomes {@code e ← e·decay + w·(1 − decay)}, in float32, the two products rounded
     * before the sum (RecipeParityTest checks both trainers' update to the bit). Validation, the choice of the best
     * epoch, the test and the exported model use the shadow. DL4J keeps a batch norm's running variance as log10 σ,
     * so its shadow averages log σ where PyTorch's averages σ²: the same for slowly moving statistics, not to the bit.
     *
     * @param decay 0 = no average (the trained weights are used), else in (0, 1), e.g. 0.999
     */
    public record Ema(double decay) {
        public Ema {
            if (!(decay >= 0 && decay < 1)) throw new org.anynas.space.UserInputException("EMA decay must be in [0, 1), got " + decay);
        }

        public static Ema off() {
            return new Ema(0);
        }

        public boolean on() {
            return decay > 0;
        }
    }

    /**
     * What final training adds to a fidelity's optimizer settings: augmentation, label smoothing, warm-up, weight
     * average. {@link #none()} is the plain final training of earlier versions.
     */
    public record Final(Augmentation augmentation, double labelSmoothing, int warmupEpochs, Ema ema) {
        public Final {
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new org.anynas.space.UserInputException("label smoothing must be in [0, 1), got " + labelSmoothing);
            }
            if (warmupEpochs < 0) throw new org.anynas.space.UserInputException("warm-up epochs must be >= 0, got " + warmupEpochs);
        }

        public static Final none() {
            return new Final(Augmentation.none(), 0, 0, Ema.off());
        }

        public static Final of(Augmentation augmentation) {
            return new Final(augmentation, 0, 0, Ema.off());
        }

        public String oneLine() {
            return String.format(Locale.ROOT, "augmentation %s, label smoothing %s, warm-up %d epoch%s, EMA %s",
                    augmentation.oneLine(), labelSmoothing == 0 ? "off" : String.valueOf(labelSmoothing), warmupEpochs,
                    warmupEpochs == 1 ? "" : "s", ema.on() ? String.valueOf(ema.decay()) : "off");
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
    public static final Set<ParamKind> DECAYED = EnumSet.of(ParamKind.CONV_WEIGHT, ParamKind.DENSE_WEIGHT);
    /** DL4J's BatchNormalization defaults (eps 1e-5, decay 0.9) = PyTorch's. */
    static final BatchNorm BATCH_NORM = new BatchNorm(1e-5, 0.1);
    public static final double STD_FLOOR = 1e-3;

    /** A proxy run at {@code f}: no augmentation, smoothing, warm-up or weight average. */
    public static TrainingRecipe proxy(Fidelity f) {
        return finalTraining(f, Final.none());
    }

    /** Final training at {@code f} with the final ingredients {@code fin}. */
    public static TrainingRecipe finalTraining(Fidelity f, Final fin) {
        Optimizer optimizer = f.optimizer() == Fidelity.Optimizer.ADAM ? ADAM : SGD;
        return new TrainingRecipe(optimizer, new Schedule(f.schedule(), f.learningRate(), f.epochs(), fin.warmupEpochs()),
                new WeightDecay(f.weightDecay(), DecayMode.DECOUPLED, DECAYED), BATCH_NORM,
                new Seeds(f.seed(), f.seed() * 31, f.seed() * 1_000_003L), STD_FLOOR, fin.augmentation(),
                fin.labelSmoothing(), fin.ema());
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
                .put("epochs", schedule.epochs()).put("warmup_epochs", schedule.warmupEpochs());
        ObjectNode wd = out.putObject("weight_decay").put("coefficient", weightDecay.coefficient())
                .put("mode", weightDecay.mode().name().toLowerCase(Locale.ROOT));
        ArrayNode kinds = wd.putArray("applies_to");
        weightDecay.appliesTo().stream().map(ParamKind::key).sorted().forEach(kinds::add);
        out.putObject("batch_norm").put("epsilon", batchNorm.epsilon()).put("momentum", batchNorm.momentum());
        out.putObject("seeds").put("init", seeds.init()).put("order", seeds.order()).put("noise", seeds.noise());
        out.put("std_floor", stdFloor);
        ObjectNode aug = out.putObject("augmentation").put("padding", augmentation.padding()).put("flip", augmentation.flip());
        ObjectNode erasing = aug.putObject("erasing").put("p", augmentation.erasing());
        erasing.putArray("scale").add(Augmentation.ERASE_SCALE[0]).add(Augmentation.ERASE_SCALE[1]);
        erasing.putArray("ratio").add(Augmentation.ERASE_RATIO[0]).add(Augmentation.ERASE_RATIO[1]);
        out.put("label_smoothing", labelSmoothing);
        out.putObject("ema").put("decay", ema.decay());
        return out;
    }
}
