package org.anynas.torch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.TorchWeights;
import org.anynas.space.Architecture;
import org.anynas.space.DesignSpace;
import org.anynas.space.Genome;
import org.anynas.space.LayerStats;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.OpGraphJson;
import org.anynas.space.Sampler;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The torch worker builds its network by interpreting the op graph the engine sends (anynas_torch.graph): for sampled
 * architectures of every built-in space and every block type, the module's arrays are exactly the graph's nodes, with
 * each node's parameter count ({@link LayerStats}) and the shapes its op implies, and with those weights (BN
 * statistics drawn at random) DL4J's network of the same graph computes PyTorch's outputs.
 */
class TorchGraphTest {
    static String python;

    @BeforeAll
    static void probe() {
        python = Torch.required().python();
    }

    static List<Architecture> architectures() {
        List<Architecture> out = new ArrayList<>(TorchWeightsTest.everyBlock());
        for (String space : DesignSpace.BUILT_IN) {
            Genome layout = DesignSpace.load(space).genome(Shape.of(1, 28, 28), 10);
            Sampler sampler = Sampler.of(layout);
            Random random = new Random(5);
            for (int i = 0; i < 10; i++) out.add(layout.decode(sampler.sample(random, 100_000)));
        }
        return out;
    }

    @Test
    void theWorkersModuleIsTheGraphNodeByNodeAndComputesWhatDl4jComputes(@TempDir Path dir) throws Exception {
        List<Architecture> archs = architectures();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < archs.size(); i++) {
            files.add(Files.writeString(dir.resolve("g" + i + ".json"), OpGraphJson.write(archs.get(i).graph())));
        }
        List<String> lines = run(dir, files);
        for (int i = 0; i < archs.size(); i++) {
            Architecture a = archs.get(i);
            OpGraph g = a.graph();
            assertThat(lines.get(i)).as(a.oneLine()).isEqualTo("ok");
            Map<String, INDArray> arrays = Nd4j.createFromNpzFile(dir.resolve("g" + i + ".npz").toFile());
            for (LayerStats s : g.layers()) {
                Map<String, long[]> expected = expectedArrays(g, s);
                Map<String, long[]> actual = new LinkedHashMap<>();
                long params = 0;
                for (var e : arrays.entrySet()) {
                    if (!e.getKey().startsWith(s.node().name() + ".")) continue;
                    actual.put(e.getKey().substring(s.node().name().length() + 1), e.getValue().shape());
                    if (!e.getKey().contains(".running_")) params += e.getValue().length();
                }
                assertThat(params).as("%s: parameters of %s", a.oneLine(), s.node().name()).isEqualTo(s.params());
                assertThat(actual).as("%s: arrays of %s", a.oneLine(), s.node().name()).containsExactlyInAnyOrderEntriesOf(expected);
            }
            TorchWeights w = TorchWeights.read(dir.resolve("g" + i + ".npz")); // an array of no node is an error there
            ComputationGraph net = w.network(g);
            try {
                INDArray x = Nd4j.createFromNpzFile(dir.resolve("g" + i + "-input.npz").toFile()).get("x");
                INDArray p = net.outputSingle(false, x);
                double diff = Transforms.abs(p.castTo(w.referenceProbabilities().dataType()).sub(w.referenceProbabilities())).maxNumber().doubleValue();
                assertThat(diff).as(a.oneLine()).isLessThanOrEqualTo(CrossRuntimeCheck.TOLERANCE);
            } finally {
                net.clear();
            }
        }
    }

    @Test
    void aNodeWhoseParameterCountDiffersFromTheGraphsIsRefusedByName(@TempDir Path dir) throws Exception {
        Architecture a = TorchWeightsTest.everyBlock().get(2 * org.anynas.space.BlockType.INCEPTION.ordinal() + 1);
        ObjectNode tree = OpGraphJson.tree(a.graph());
        ObjectNode unknown = tree.deepCopy();
        ((ObjectNode) unknown.get("nodes").get(1)).put("op", "layer_norm");
        ObjectNode conv = (ObjectNode) tree.get("nodes").get(0);
        conv.put("params", conv.get("params").asLong() + 1); // as if the engine counted a bias the conv does not have
        Path counted = Files.writeString(dir.resolve("counted.json"), tree.toString());
        Path op = Files.writeString(dir.resolve("unknown.json"), unknown.toString());
        List<String> lines = run(dir, List.of(counted, op));
        assertThat(lines.get(0)).startsWith("error:").contains("stem_conv").contains(String.valueOf(conv.get("params").asLong()));
        assertThat(lines.get(1)).startsWith("error:").contains("layer_norm");
    }

    /** The arrays PyTorch must hold for a node, named as in the state_dict after the node name, with their shapes. */
    static Map<String, long[]> expectedArrays(OpGraph g, LayerStats s) {
        Map<String, long[]> m = new HashMap<>();
        Shape in = g.shapeOf(s.node().inputs().get(0));
        Op op = s.node().op();
        if (op instanceof Op.Conv c) {
            m.put("weight", new long[]{c.filters(), in.channels() / c.groups(), c.kernel(), c.kernel()});
            if (c.bias()) m.put("bias", new long[]{c.filters()});
        } else if (op instanceof Op.BatchNorm) {
            for (String k : List.of("weight", "bias", "running_mean", "running_var")) m.put(k, new long[]{in.channels()});
        } else if (op instanceof Op.Dense d) {
            m.put("weight", new long[]{d.units(), in.elements()});
            if (d.bias()) m.put("bias", new long[]{d.units()});
        } else if (op instanceof Op.Classifier c) {
            m.put("weight", new long[]{c.classes(), in.elements()});
            m.put("bias", new long[]{c.classes()});
        }
        return m;
    }

    /** Runs graph_check.py on the files with the worker's sources; one output line per file. */
    static List<String> run(Path dir, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, Path.of("src/test/python/graph_check.py").toAbsolutePath().toString()));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("python.log").toFile());
        pb.environment().put("PYTHONPATH", WorkerSources.unpack(dir.resolve("cache")).toString());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("python.log"))).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(files.size());
        return lines;
    }
}
