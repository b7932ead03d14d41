package org.anynas.dl4j;

import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Shape;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReluActivationLayer} computes what DL4J's activation layer computes for a ReLU, to the bit, in a whole
 * network over several training steps; only plain ReLUs are replaced; saved networks are stock.
 */
class ReluActivationLayerTest {
    private static final Fidelity FIDELITY = new Fidelity(1, 64, 8, 16, Fidelity.Optimizer.ADAM, 0.01,
            Fidelity.Schedule.CONSTANT, 0, 4);

    /** A residual stage (ReLU after the shortcut's sum) and a plain one; ReLU throughout. */
    private static Architecture relu(Activation activation) {
        return Architecture.of(Shape.of(1, 12, 12), 3, activation, Stem.of(4, 3, 1),
                List.of(Stage.of(BlockType.RESIDUAL, 2, 8).withDownsample(Downsample.STRIDE),
                        Stage.of(BlockType.PLAIN, 1, 12).withDownsample(Downsample.MAX_POOL)), Head.of(0));
    }

    private static int count(ComputationGraph net, Class<?> type) {
        int n = 0;
        for (Layer l : net.getLayers()) if (l.getClass() == type) n++;
        return n;
    }

    @Test
    void trainsToTheBitLikeDl4jsActivationLayer() throws Exception {
        Architecture arch = relu(Activation.RELU);
        ComputationGraph ours = GraphTranslator.floats().build(arch.graph(), FIDELITY, 4);
        ComputationGraph theirs = new ComputationGraph(GraphTranslator.floats().configuration(arch.graph(), FIDELITY, 4));
        theirs.init();
        ChannelsFirstBatchNorm.install(theirs); // everything else as in ours, so only the activation layers differ
        StemConvolution.install(theirs);
        try {
            int relus = count(theirs, ActivationLayer.class);
            assertThat(relus).isGreaterThanOrEqualTo(4);
            assertThat(count(ours, ReluActivationLayer.class)).isEqualTo(relus);
            assertThat(count(ours, ActivationLayer.class)).isZero();
            assertThat(ours.getLayers()).allSatisfy(l -> assertThat(ours.getLayer(l.conf().getLayer().getLayerName())).isSameAs(l));
            assertThat(ours.params()).isEqualTo(theirs.params());

            Nd4j.getRandom().setSeed(5);
            for (int step = 0; step < 4; step++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 12, 12).muli(2).subi(0.5);
                INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
                for (int i = 0; i < 16; i++) y.putScalar(i, (i * 5 + step) % 3, 1f);
                DataSet batch = new DataSet(x, y);
                ours.fit(batch);
                theirs.fit(batch);
                assertThat(ours.score()).as("loss, step %d", step).isEqualTo(theirs.score());
                assertThat(ours.params().equalsWithEps(theirs.params(), 0)).as("parameters after step %d", step).isTrue();
            }

            // what is saved (exports, checkpoints) is a stock network that computes the same function
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(ours, bytes, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
            assertThat(count(restored, ReluActivationLayer.class)).isZero();
            assertThat(count(restored, ActivationLayer.class)).isEqualTo(relus);
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 12, 12).subi(0.5);
            assertThat(restored.outputSingle(x).equalsWithEps(ours.outputSingle(x), 0)).isTrue();
            // a network continued from a checkpoint gets every kernel again (ProxyTrainer does this)
            GraphTranslator.installTrainingKernels(restored);
            assertThat(count(restored, ReluActivationLayer.class)).isEqualTo(relus);
            assertThat(restored.getLayer("stem_conv").getHelper()).isInstanceOf(StemConvolution.class);
            assertThat(restored.getLayer("stem_bn").getHelper()).isInstanceOf(ChannelsFirstBatchNorm.class);
            restored.clear();
        } finally {
            ours.clear();
            theirs.clear();
        }
    }

    @Test
    void passesTheGradientOnlyWhereTheInputIsPositive() {
        ComputationGraph net = GraphTranslator.floats().build(relu(Activation.RELU).graph(), FIDELITY, 4);
        Layer ours = java.util.Arrays.stream(net.getLayers()).filter(l -> l instanceof ReluActivationLayer).findFirst().orElseThrow();
        Layer stock = new ActivationLayer(ours.conf(), DataType.FLOAT);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

        INDArray x = Nd4j.createFromArray(-1f, 0f, 2f, 3f, -1e-30f, Float.MIN_VALUE).reshape(1, 6, 1, 1);
        INDArray eps = Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f, 6f).reshape(1, 6, 1, 1);
        INDArray in = x.dup();
        ours.setInput(in, noWorkspaces);
        assertThat(ours.activate(true, noWorkspaces).reshape(6).toFloatVector()).containsExactly(0f, 0f, 2f, 3f, 0f, Float.MIN_VALUE);
        assertThat(ours.backpropGradient(eps, noWorkspaces).getSecond().reshape(6).toFloatVector())
                .containsExactly(0f, 0f, 3f, 4f, 0f, 6f);
        assertThat(bits(in)).isEqualTo(bits(x)); // neither pass writes over its input

        // with exact and negative zeros, DL4J's own layer gives the same numbers (its zero gradients are all +0, ours
        // take ε's sign: equal as numbers, and the whole-network test above shows no bit of difference downstream)
        Nd4j.getRandom().setSeed(3);
        INDArray big = Nd4j.rand(DataType.FLOAT, 4, 5, 6, 7).subi(0.5);
        big.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0f);
        big.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2)).assign(-0f);
        INDArray grad = Nd4j.rand(DataType.FLOAT, 4, 5, 6, 7).subi(0.5);
        ours.setInput(big.dup(), noWorkspaces);
        stock.setInput(big.dup(), noWorkspaces);
        assertThat(bits(ours.activate(true, noWorkspaces))).isEqualTo(bits(stock.activate(true, noWorkspaces)));
        INDArray ourGrad = ours.backpropGradient(grad.dup(), noWorkspaces).getSecond();
        INDArray theirGrad = stock.backpropGradient(grad.dup(), noWorkspaces).getSecond();
        assertThat(ourGrad.equalsWithEps(theirGrad, 0)).isTrue();
        int passed = ourGrad.neq(0).castTo(DataType.INT).sumNumber().intValue();
        assertThat(passed).as("gradients passed").isEqualTo(big.gt(0).castTo(DataType.INT).sumNumber().intValue());
        net.clear();
    }

    private static int[] bits(INDArray a) {
        float[] v = a.dup('c').reshape(a.length()).toFloatVector();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    @Test
    void takesOnlyTheReluWithoutCapThresholdOrSlope() {
        assertThat(ReluActivationLayer.isPlainRelu(new org.deeplearning4j.nn.conf.layers.ActivationLayer(
                org.nd4j.linalg.activations.Activation.RELU))).isTrue();
        for (var relu : List.of(new ActivationReLU(6.0, null, null), new ActivationReLU(null, 0.0, null),
                new ActivationReLU(null, null, 0.0), new ActivationReLU(null, 0.5, 0.1))) {
            assertThat(ReluActivationLayer.isPlainRelu(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                    .activation(relu).build())).as(relu.toString()).isFalse();
        }
    }

    @Test
    void replacesOnlyPlainRelus() {
        ComputationGraph silu = GraphTranslator.floats().build(relu(Activation.SILU).graph(), FIDELITY, 4);
        ComputationGraph leaky = GraphTranslator.floats().build(relu(Activation.LEAKY_RELU).graph(), FIDELITY, 4);
        assertThat(count(silu, ReluActivationLayer.class)).isZero();
        assertThat(count(silu, ActivationLayer.class)).isPositive();
        assertThat(count(leaky, ReluActivationLayer.class)).isZero();
        assertThat(count(leaky, ActivationLayer.class)).isPositive();
        silu.clear();
        leaky.clear();
    }
}
