package org.anynas.evaluator;

import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;

/**
 * Trains one architecture at one fidelity on the trainer's dataset and reports what it measured. Never throws
 * for a bad candidate: failures come back as a result with a status. Implementations: {@link ProxyTrainer}
 * (DL4J on the CPU); a remote/GPU backend plugs in here.
 */
public interface Trainer {
    EvaluationResult evaluate(Architecture architecture, Fidelity fidelity);

    /** Identifies the dataset this trainer uses, as stored with every score. */
    String datasetKey();
}
