package org.anynas.dl4j;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java batch-norm kernels compute what DL4J's oneDNN helper computes: at every step the gradients of all
 * parameters (conv weights upstream of the BN input gradient, γ, β) and the running mean/variance updates agree.
 */
class ChannelsFirstBatchNormTest {
    private static final Fidelity FIDELITY = new Fidelity(1, 64, 8, 16, Fidelity.Optimizer.ADAM, 0.01,
            Fidelity.Schedule.CONSTANT, 0, 4);

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void trainsExactlyLikeTheOneDnnHelper(BlockType block) {
        Architecture arch = Blocks.tiny(block, true, 12);
        ComputationGraph ours = GraphTranslator.floats().build(arch.graph(), FIDELITY, 4);
        ComputationGraph theirs = new ComputationGraph(GraphTranslator.floats().configuration(arch.graph(), FIDELITY, 4));
        theirs.init();
        try {
            int installed = 0;
            for (Layer l : ours.getLayers()) if (l instanceof BatchNormalization bn && bn.getHelper() instanceof ChannelsFirstBatchNorm) installed++;
            assertThat(installed).as("BN layers with the Java kernels").isEqualTo(arch.graph().nodes().stream()
                    .filter(n -> n.op() instanceof org.anynas.space.Op.BatchNorm).count());
            for (Layer l : theirs.getLayers()) {
                if (l instanceof BatchNormalization bn) assertThat(bn.getHelper()).isInstanceOf(MKLDNNBatchNormHelper.class);
            }
            assertThat(ours.params()).isEqualTo(theirs.params());
            Nd4j.getRandom().setSeed(5);
            for (int step = 0; step < 3; step++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 16, 2, 12, 12).muli(3).addi(1); // mean far from 0
                INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
                for (int i = 0; i < 16; i++) y.putScalar(i, (i * 7 + step) % 3, 1f);
                // the gradient of every parameter, BN running-statistics updates included (DL4J stores them as gradients)
                INDArray g1 = gradient(ours, x, y);
                INDArray g2 = gradient(theirs, x, y);
                assertThat(g1.sub(g2).norm2Number().doubleValue() / g2.norm2Number().doubleValue())
                        .as("%s step %d", arch.oneLine(), step).isLessThan(1e-4);
                ours.fit(new DataSet(x, y));
                theirs.fit(new DataSet(x, y));
                theirs.setParams(ours.params()); // Adam magnifies float noise in near-zero gradients; compare steps, not drift
            }
        } finally {
            ours.clear();
            theirs.clear();
        }
    }
}
