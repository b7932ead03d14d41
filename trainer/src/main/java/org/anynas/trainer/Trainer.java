package org.anynas.trainer;


import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;

/**
 * Trains one architecture at one fidelity on the trainer's dataset and reports what it measured. Never throws
 * for a bad candidate: failures come back as a result with a status. Implementations: {@code ProxyTrainer}
 * (DL4J on the CPU) and {@code TorchTrainer} (one PyTorch worker process, CPU or CUDA).
 */
public interface Trainer {
    /**
     * Bumped whenever a change to training code can change scores: old cached scores are then not reused.
     * 3: dropout noise is seeded per epoch (a run continued from a checkpoint equals one run), and the DL4J train
     * loss is the data loss (before, it included the weight-decay term).
     * 4: the validation split is stratified by class (one rule for built-in datasets and image folders), and DL4J
     * decays a weight by the recipe's lr·wd once per step (before, twice: DL4J held each layer's WeightDecay twice).
     * Both are in 4, since 4 has not been released.
     */
    int EVALUATOR_VERSION = 4;

    /**
     * How many test images an exported model's cross-runtime check runs; a trainer whose weights are exported saves its
     * own outputs on the first this many, for the check to compare against.
     */
    int CHECK_IMAGES = 256;

    /** The whole run at {@code fidelity}. */
    default EvaluationResult evaluate(Architecture architecture, Fidelity fidelity) {
        return evaluate(architecture, fidelity, TrainingLeg.whole(fidelity));
    }

    /**
     * One leg of a run at {@code fidelity}: the result's curves cover the leg's epochs, its accuracy is the one
     * after {@code leg.toEpoch()}; a checkpoint is written to {@code leg.save()} (atomically) when asked.
     */
    EvaluationResult evaluate(Architecture architecture, Fidelity fidelity, TrainingLeg leg);

    /** Identifies the dataset this trainer uses, as stored with every score. */
    String datasetKey();

    /**
     * Who trains: backend, its version, device kind and numerics, and {@link #EVALUATOR_VERSION}. Part of the
     * score cache's key, so that one backend's score never answers another's request.
     */
    String identity();
}
