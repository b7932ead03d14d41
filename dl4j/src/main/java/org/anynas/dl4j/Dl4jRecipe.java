package org.anynas.dl4j;

import org.anynas.evaluator.CosineSchedule;

import org.anynas.trainer.TrainingRecipe;

import org.anynas.space.Fidelity;
import org.anynas.space.OpGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/** A {@link TrainingRecipe} in DL4J's terms: the updater, the schedule and the network the DL4J trainers train. */
public final class Dl4jRecipe {
    private Dl4jRecipe() {
    }

    /** An initialised network ready to train with the recipe, {@code stepsPerEpoch} optimizer steps per epoch. */
    public static ComputationGraph network(OpGraph graph, TrainingRecipe recipe, int stepsPerEpoch) {
        TrainingRecipe.WeightDecay wd = recipe.weightDecay();
        // DL4J's weightDecay is decoupled (applyLR) and covers exactly layer weights: W of convolutions and dense layers
        if (wd.mode() != TrainingRecipe.DecayMode.DECOUPLED || !wd.appliesTo().equals(TrainingRecipe.DECAYED)) {
            throw new IllegalArgumentException("DL4J applies decoupled weight decay to " + TrainingRecipe.DECAYED
                    + " only, the recipe asks for " + wd.mode() + " on " + wd.appliesTo());
        }
        ComputationGraphConfiguration conf = GraphTranslator.floats().configuration(graph, updater(recipe, stepsPerEpoch),
                recipe.seeds().init(), wd.coefficient());
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                bn.setEps(recipe.batchNorm().epsilon());
                bn.setDecay(1 - recipe.batchNorm().momentum());
            }
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        GraphTranslator.installTrainingKernels(net);
        return net;
    }

    public static IUpdater updater(TrainingRecipe recipe, int stepsPerEpoch) {
        TrainingRecipe.Schedule s = recipe.schedule();
        ISchedule lr = s.kind() == Fidelity.Schedule.COSINE
                ? new CosineSchedule(s.learningRate(), s.totalSteps(stepsPerEpoch), s.warmupEpochs() * stepsPerEpoch)
                : new FixedSchedule(s.learningRate());
        if (recipe.optimizer() instanceof TrainingRecipe.Adam a) {
            Adam adam = new Adam(lr);
            adam.setBeta1(a.beta1());
            adam.setBeta2(a.beta2());
            adam.setEpsilon(a.epsilon());
            return adam;
        }
        TrainingRecipe.Sgd sgd = (TrainingRecipe.Sgd) recipe.optimizer();
        if (!sgd.nesterov()) throw new IllegalArgumentException("DL4J has only Nesterov momentum");
        return new Nesterovs(lr, sgd.momentum());
    }

    /**
     * One-hot labels smoothed in place to (1 − ε)·y + ε/K: DL4J's cross-entropy against them is the recipe's smoothed
     * loss (PyTorch's CrossEntropyLoss(label_smoothing = ε)). Returns {@code labels}; ε = 0 leaves them as they are.
     */
    public static INDArray smooth(INDArray labels, double epsilon) {
        if (epsilon == 0) return labels;
        return labels.muli(1 - epsilon).addi(epsilon / labels.size(1));
    }

    /**
     * The recipe's EMA step ({@link TrainingRecipe.Ema}) on flat parameter vectors: {@code shadow ← shadow·d + params·(1 − d)},
     * each product rounded to float before the sum, as the PyTorch worker's training.ema_update.
     */
    public static void emaUpdate(INDArray shadow, INDArray params, double decay) {
        shadow.muli(decay).addi(params.mul(1 - decay));
    }
}
