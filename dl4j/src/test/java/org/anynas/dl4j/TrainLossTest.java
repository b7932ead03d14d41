package org.anynas.dl4j;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * DL4J's {@code net.score()} after {@code fit} is the batch's cross-entropy plus the weight-decay term
 * (0.5·wd·Σw² over the decayed parameters); the trainers report the cross-entropy alone.
 */
class TrainLossTest {

    @Test
    void scoreIncludesWeightDecayAndTheReportedLossLeavesItOut() {
        Architecture arch = Blocks.tiny(BlockType.PLAIN, false, 12);
        Fidelity f = new Fidelity(1, 16, 16, 16, Fidelity.Optimizer.ADAM, 1e-3, Fidelity.Schedule.CONSTANT, 0.05, 1);
        ComputationGraph net = GraphTranslator.floats().build(arch.graph(), f, 1);
        try {
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 2, 12, 12);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
            for (int i = 0; i < 16; i++) y.putScalar(i, i % 3, 1f);
            // the cross-entropy of this batch with the parameters fit starts from (training mode: batch statistics)
            INDArray p = net.outputSingle(true, x);
            double crossEntropy = -Transforms.log(p.mul(y).sum(1).addi(1e-12), false).sumNumber().doubleValue() / 16;
            double decay = net.calcRegularizationScore(true);

            double reported = ProxyTrainer.fit(net, new DataSet(x, y));

            assertThat(decay).as("weight-decay term at wd 0.05").isGreaterThan(0.01);
            assertThat(net.score()).as("DL4J's score: data loss + weight decay").isCloseTo(crossEntropy + decay, within(1e-4));
            assertThat(reported).as("the trainers' loss: data loss alone").isCloseTo(crossEntropy, within(1e-4));
        } finally {
            net.close();
        }
    }
}
