package org.anynas.dl4j;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A network whose stem computes its gradients with {@link StemConvolution} trains like the same network on
 * DL4J's own convolution path: the same loss, the same gradient for every parameter and the same updates, step
 * after step, for grey and colour images. Saved, it is a stock DL4J network with the same outputs.
 */
class StemConvolutionTest {
    private static final Fidelity FIDELITY = new Fidelity(1, 64, 8, 16, Fidelity.Optimizer.ADAM, 0.01,
            Fidelity.Schedule.CONSTANT, 0, 4);

    private static Map<String, INDArray> gradients(ComputationGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Map<String, INDArray> g = new java.util.LinkedHashMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> g.put(k, v.dup()));
        return g;
    }

    private static double relativeError(INDArray ours, INDArray theirs) {
        return ours.sub(theirs).norm2Number().doubleValue() / Math.max(1e-30, theirs.norm2Number().doubleValue());
    }

    @ParameterizedTest(name = "{0} input channels")
    @ValueSource(ints = {1, 3})
    void trainsExactlyLikeDl4jsConvolution(int channels) throws Exception {
        Architecture arch = Blocks.tiny(BlockType.RESIDUAL, true, Shape.of(channels, 12, 12), 3);
        ComputationGraph ours = GraphTranslator.floats().build(arch.graph(), FIDELITY, 4);
        // DL4J's convolution path with the same batch-norm kernels, so only the stem differs
        ComputationGraph theirs = new ComputationGraph(GraphTranslator.floats().configuration(arch.graph(), FIDELITY, 4));
        theirs.init();
        ChannelsFirstBatchNorm.install(theirs);
        try {
            int installed = 0;
            for (Layer l : ours.getLayers()) if (l.getHelper() instanceof StemConvolution) installed++;
            assertThat(installed).as("convolutions with the stem kernel").isOne();
            assertThat(ours.getLayer("stem_conv").getHelper()).isInstanceOf(StemConvolution.class);
            assertThat(((StemConvolution) ours.getLayer("stem_conv").getHelper()).fallback()).isInstanceOf(MKLDNNConvHelper.class);
            assertThat(theirs.getLayer("stem_conv").getHelper()).isInstanceOf(MKLDNNConvHelper.class);
            assertThat(ours.params()).isEqualTo(theirs.params());

            Nd4j.getRandom().setSeed(11);
            for (int step = 0; step < 4; step++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 16, channels, 12, 12).muli(2).subi(0.5);
                INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
                for (int i = 0; i < 16; i++) y.putScalar(i, (i * 5 + step) % 3, 1f);
                Map<String, INDArray> g1 = gradients(ours, x, y);
                double loss1 = ours.score();
                Map<String, INDArray> g2 = gradients(theirs, x, y);
                assertThat(loss1).as("loss, step %d", step).isCloseTo(theirs.score(), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(g1.keySet()).isEqualTo(g2.keySet()).contains("stem_conv_W");
                for (String p : g2.keySet()) {
                    assertThat(relativeError(g1.get(p), g2.get(p))).as("gradient of %s, step %d", p, step).isLessThan(1e-4);
                }
                ours.fit(new DataSet(x, y));
                theirs.fit(new DataSet(x, y));
                assertThat(relativeError(ours.params(), theirs.params())).as("parameters after update %d", step).isLessThan(1e-5);
                theirs.setParams(ours.params()); // Adam magnifies float noise in near-zero gradients; compare steps, not drift
            }
            assertThat(StemConvolution.SLOT.failures(ours.getLayer("stem_conv"))).as("stem kernel errors DL4J swallowed").isZero();

            // what is saved (exports, checkpoints) is a stock network that computes the same function
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(ours, bytes, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
            assertThat(restored.getLayer("stem_conv").getHelper()).isInstanceOf(MKLDNNConvHelper.class);
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, channels, 12, 12);
            assertThat(restored.outputSingle(x)).isEqualTo(ours.outputSingle(x));
            restored.clear();
        } finally {
            ours.clear();
            theirs.clear();
        }
    }
}
