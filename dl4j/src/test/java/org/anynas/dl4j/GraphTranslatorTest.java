package org.anynas.dl4j;

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

    /**
     * Every layer kind with weights (full, grouped and depthwise convolutions, dense, classifier) carries exactly
     * one decoupled WeightDecay on its weights and none on biases or batch norm: DL4J applies each entry, and its
     * global weightDecay used to land twice in every layer. The lists also survive DL4J's JSON (saved networks).
     */
    @org.junit.jupiter.api.Test
    void eachWeightHasOneDecoupledWeightDecayAndNothingElseIsDecayed() {
        OpGraph g = OpGraph.of(Shape.of(8, 6, 6), java.util.List.of(
                org.anynas.space.Node.of("full", new org.anynas.space.Op.Conv(8, 3, 1, 1, 1, true), "input"),
                org.anynas.space.Node.of("bn", new org.anynas.space.Op.BatchNorm(), "full"),
                org.anynas.space.Node.of("grouped", new org.anynas.space.Op.Conv(16, 3, 1, 1, 4, true), "bn"),
                org.anynas.space.Node.of("depthwise", new org.anynas.space.Op.Conv(32, 3, 1, 1, 16, false), "grouped"),
                org.anynas.space.Node.of("gap", new org.anynas.space.Op.GlobalAvgPool(), "depthwise"),
                org.anynas.space.Node.of("fc", new org.anynas.space.Op.Dense(8, true), "gap"),
                org.anynas.space.Node.of("out", new org.anynas.space.Op.Classifier(3), "fc")));
        Fidelity f = new Fidelity(1, 8, 8, 8, Fidelity.Optimizer.SGD, 0.1, Fidelity.Schedule.CONSTANT, 0.01, 1);
        var conf = GraphTranslator.floats().configuration(g, f, 1);
        assertThat(org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(conf.toJson())).isEqualTo(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        try {
            java.util.Set<String> decayed = new java.util.TreeSet<>();
            for (var layer : net.getLayers()) {
                var lc = layer.conf().getLayer();
                for (String key : layer.paramTable().keySet()) {
                    var regs = lc.getRegularizationByParam(key);
                    if (regs == null || regs.isEmpty()) continue;
                    assertThat(regs).as(lc.getLayerName() + " " + key)
                            .containsExactly(new org.nd4j.linalg.learning.regularization.WeightDecay(0.01, true));
                    decayed.add(lc.getLayerName() + "." + key);
                }
            }
            assertThat(decayed).containsExactly("depthwise.W", "fc.W", "full.W", "grouped.W", "out.W");
        } finally {
            net.clear();
        }
    }
}
