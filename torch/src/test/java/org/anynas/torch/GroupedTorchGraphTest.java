package org.anynas.torch;

import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.TorchWeights;
import org.anynas.space.Activation;
import org.anynas.space.LayerStats;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.OpGraphJson;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TorchGraphTest for grouped convolutions, which no built-in space has yet: the worker's nn.Conv2d(groups=g) holds
 * each node's parameters in the graph's shapes, and DL4J's network with those weights computes PyTorch's outputs.
 */
class GroupedTorchGraphTest {

    @BeforeAll
    static void probe() {
        TorchGraphTest.python = Torch.required().python();
    }

    /** A ResNeXt-like block on 12 channels: 1×1 → 3×3 with 3 groups (bias) → grouped 1×1 /2, strided grouped projection. */
    static OpGraph resnextLike() {
        List<Node> n = new ArrayList<>();
        n.add(Node.of("stem_conv", new Op.Conv(12, 3, 1, 1, 1, false), "input"));
        n.add(Node.of("stem_bn", new Op.BatchNorm(), "stem_conv"));
        n.add(Node.of("stem_relu", new Op.Act(Activation.RELU), "stem_bn"));
        n.add(Node.of("b_a_conv", new Op.Conv(6, 1, 1, 0, 1, false), "stem_relu"));
        n.add(Node.of("b_a_relu", new Op.Act(Activation.RELU), "b_a_conv"));
        n.add(Node.of("b_b_conv", new Op.Conv(6, 3, 1, 1, 3, true), "b_a_relu"));
        n.add(Node.of("b_b_bn", new Op.BatchNorm(), "b_b_conv"));
        n.add(Node.of("b_b_relu", new Op.Act(Activation.RELU), "b_b_bn"));
        n.add(Node.of("b_c_conv", new Op.Conv(24, 3, 2, 1, 2, false), "b_b_relu"));
        n.add(Node.of("b_proj_conv", new Op.Conv(24, 1, 2, 0, 4, false), "stem_relu"));
        n.add(Node.of("b_add", new Op.Add(), "b_c_conv", "b_proj_conv"));
        n.add(Node.of("b_dw_conv", new Op.Conv(24, 3, 1, 1, 24, false), "b_add"));
        n.add(Node.of("gap", new Op.GlobalAvgPool(), "b_dw_conv"));
        n.add(Node.of("out", new Op.Classifier(5), "gap"));
        return OpGraph.of(Shape.of(3, 10, 10), n);
    }

    @Test
    void theWorkersGroupedConvolutionsHoldTheGraphsParametersAndComputeWhatDl4jComputes(@TempDir Path dir) throws Exception {
        OpGraph g = resnextLike();
        assertThat(g.nodes().stream().filter(n -> g.kind(n).equals("gconv")).count()).isEqualTo(3);
        Path file = Files.writeString(dir.resolve("g.json"), OpGraphJson.write(g));
        assertThat(TorchGraphTest.run(dir, List.of(file))).containsExactly("ok");
        Map<String, INDArray> arrays = Nd4j.createFromNpzFile(dir.resolve("g.npz").toFile());
        for (LayerStats s : g.layers()) {
            Map<String, long[]> actual = new LinkedHashMap<>();
            long params = 0;
            for (var e : arrays.entrySet()) {
                if (!e.getKey().startsWith(s.node().name() + ".")) continue;
                actual.put(e.getKey().substring(s.node().name().length() + 1), e.getValue().shape());
                if (!e.getKey().contains(".running_")) params += e.getValue().length();
            }
            assertThat(params).as("parameters of %s", s.node().name()).isEqualTo(s.params());
            assertThat(actual).as("arrays of %s", s.node().name())
                    .containsExactlyInAnyOrderEntriesOf(TorchGraphTest.expectedArrays(g, s));
        }
        TorchWeights w = TorchWeights.read(dir.resolve("g.npz"));
        ComputationGraph net = w.network(g);
        try {
            INDArray x = Nd4j.createFromNpzFile(dir.resolve("g-input.npz").toFile()).get("x");
            INDArray p = net.outputSingle(false, x);
            double diff = Transforms.abs(p.castTo(w.referenceProbabilities().dataType()).sub(w.referenceProbabilities()))
                    .maxNumber().doubleValue();
            assertThat(diff).isLessThanOrEqualTo(CrossRuntimeCheck.TOLERANCE);
            System.out.println("grouped graph: max |p_torch - p_dl4j| = " + diff);
        } finally {
            net.clear();
        }
    }
}
