package org.anynas.dl4j;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.OpGraph;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** DL4J's numerical gradient check, in double precision, on minimal instances of every block type with SE. */
class GradientCheckTest {

    @BeforeAll
    static void doublePrecision() {
        CpuBackend.activate();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void gradientsMatchFiniteDifferences(BlockType block) {
        Architecture arch = Blocks.minimal(block);
        OpGraph g = arch.graph();
        ComputationGraph net = new ComputationGraph(GraphTranslator.of(DataType.DOUBLE).configuration(g, new NoOp(), 12, 0));
        net.init();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) y.putScalar(i, i, 1.0);
        // BN running statistics are parameters in DL4J, updated by moving average rather than by gradient
        Set<String> runningStats = net.paramTable().keySet().stream()
                .filter(k -> k.endsWith("_bn_mean") || k.endsWith("_bn_var") || k.endsWith("_bn_log10stdev"))
                .collect(Collectors.toSet());
        assertThat(runningStats).isNotEmpty();
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).excludeParams(runningStats)
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(true));
        assertThat(ok).as("gradient check of %s", arch.oneLine()).isTrue();
    }
}
