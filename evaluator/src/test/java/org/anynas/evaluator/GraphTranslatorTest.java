package org.anynas.evaluator;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.DesignSpace;
import org.anynas.space.Fidelity;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.OpGraph;
import org.anynas.space.Sampler;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every architecture of the space becomes a DL4J graph that agrees with the space about shapes and params. */
class GraphTranslatorTest {
    private static final Fidelity FIDELITY = Fidelity.proxy(1, 8, 8, 1);

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void everyBlockTypeBuildsTrainsAndMatchesTheSpacesParameterCount(BlockType block) {
        for (boolean se : new boolean[]{false, true}) {
            checkBuildsAndTrains(Blocks.tiny(block, se, 12), 4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chain", "anynet", "multibranch"})
    void fiftyRandomArchitecturesOfEachBuiltInSpace(String name) {
        GenotypeLayout layout = DesignSpace.load(name).layout(Shape.of(1, 12, 12), 5);
        Sampler sampler = Sampler.of(layout);
        Random random = new Random(3);
        for (int i = 0; i < 50; i++) {
            checkBuildsAndTrains(layout.decode(sampler.sample(random, 100_000)), 2);
        }
    }

    /** Inputs the space adapts to (a non-square one, a stem that strides 4, maps that stop halving) build and train. */
    @ParameterizedTest
    @CsvSource({"chain,3,12,20", "chain,3,128,128", "chain,1,8,8", "anynet,3,12,20", "anynet,3,128,128", "anynet,1,8,8",
            "multibranch,3,12,20", "multibranch,3,128,128", "multibranch,1,8,8"})
    void sampledArchitecturesAtAdaptedInputSizesBuildAndTrain(String name, int channels, int height, int width) {
        GenotypeLayout layout = DesignSpace.load(name).layout(Shape.of(channels, height, width), 4);
        assertThat(layout.fit().adapted()).isTrue();
        Sampler sampler = Sampler.of(layout);
        Random random = new Random(5);
        for (int i = 0; i < 2; i++) {
            checkBuildsAndTrains(layout.decode(sampler.sample(random, 100_000)), 2);
        }
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void channelsLastComputesTheSameFunctionWithTheSameParameters(BlockType block) {
        Architecture arch = Blocks.tiny(block, true, 12);
        ComputationGraph nchw = GraphTranslator.floats().build(arch.graph(), FIDELITY, 1);
        ComputationGraph nhwc = GraphTranslator.floats().channelsLast().build(arch.graph(), FIDELITY, 1);
        try {
            INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 12, 12);
            nchw.fit(new DataSet(x, Nd4j.eye(3).castTo(DataType.FLOAT))); // BN statistics away from their initial values
            nhwc.setParams(nchw.params());
            INDArray a = nchw.outputSingle(false, x);
            INDArray b = nhwc.outputSingle(false, x.permute(0, 2, 3, 1).dup('c'));
            assertThat(b.equalsWithEps(a, 1e-5)).as("%s\n%s\nvs\n%s", arch.oneLine(), a, b).isTrue();
        } finally {
            nchw.clear();
            nhwc.clear();
        }
    }

    private static void checkBuildsAndTrains(Architecture arch, int batch) {
        OpGraph g = arch.graph();
        ComputationGraph net = GraphTranslator.floats().build(g, FIDELITY, 1);
        try {
            // DL4J stores BN running mean/var as parameters; the space reports them separately
            assertThat(net.numParams()).as(arch.oneLine()).isEqualTo(g.params() + g.bnStatistics());
            long offset = 0;
            for (INDArray view : net.paramTable().values()) { // parameter names line up with the flat vector
                assertThat(view.offset()).as(arch.oneLine()).isEqualTo(offset);
                offset += view.length();
            }
            Shape in = g.input();
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, in.channels(), in.height(), in.width());
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, arch.classes());
            for (int i = 0; i < batch; i++) y.putScalar(i, i % arch.classes(), 1f);
            assertThat(net.outputSingle(x).shape()).containsExactly(batch, arch.classes());
            net.fit(new DataSet(x, y));
            assertThat(net.score()).as(arch.oneLine()).isFinite();
        } finally {
            net.clear();
        }
    }
}
