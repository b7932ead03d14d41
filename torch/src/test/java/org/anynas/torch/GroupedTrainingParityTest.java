package org.anynas.torch;

import org.anynas.dl4j.Dl4jRecipe;
import org.anynas.evaluator.GroupedConvolutionLayer;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingRecipe;

import org.anynas.dl4j.CpuBackend;

import org.anynas.dl4j.onnx.TorchWeights;
import org.anynas.torch.Torch;
import org.anynas.torch.WorkerSources;
import org.anynas.space.Activation;
import org.anynas.space.Fidelity;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.OpGraphJson;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A network with an X-style bottleneck (1×1 → grouped 3×3 → 1×1, strided, with a projection) trains to the same
 * losses in DL4J and in the PyTorch worker from the same initial weights: the worker builds and initialises it
 * (its own code: training.build, Trainer.step), DL4J takes those weights ({@link TorchWeights#into}) into the network
 * the DL4J trainers train ({@link Dl4jRecipe}), and both take the same steps on the same batches. RecipeParityTest
 * shows both are configured as the recipe says; this shows that the grouped convolutions' gradients and the
 * updates agree in practice.
 */
class GroupedTrainingParityTest {
    private static final int STEPS = 5;
    private static final int BATCH = 8;
    private static final int CLASSES = 5;

    static {
        CpuBackend.activate();
    }

    /** input 3×12×12 → stem 16 → X block: 1×1 16 → 3×3 16 in 4 groups of 4, stride 2 → 1×1 24, projection /2 → gap → 5 classes. */
    static OpGraph xBottleneck() {
        List<Node> n = new ArrayList<>();
        n.add(Node.of("stem_conv", new Op.Conv(16, 3, 1, 1, 1, false), "input"));
        n.add(Node.of("stem_bn", new Op.BatchNorm(), "stem_conv"));
        n.add(Node.of("stem_relu", new Op.Act(Activation.RELU), "stem_bn"));
        n.add(Node.of("x_a_conv", new Op.Conv(16, 1, 1, 0, 1, false), "stem_relu"));
        n.add(Node.of("x_a_bn", new Op.BatchNorm(), "x_a_conv"));
        n.add(Node.of("x_a_relu", new Op.Act(Activation.RELU), "x_a_bn"));
        n.add(Node.of("x_b_conv", new Op.Conv(16, 3, 2, 1, 4, false), "x_a_relu"));
        n.add(Node.of("x_b_bn", new Op.BatchNorm(), "x_b_conv"));
        n.add(Node.of("x_b_relu", new Op.Act(Activation.RELU), "x_b_bn"));
        n.add(Node.of("x_c_conv", new Op.Conv(24, 1, 1, 0, 1, false), "x_b_relu"));
        n.add(Node.of("x_c_bn", new Op.BatchNorm(), "x_c_conv"));
        n.add(Node.of("x_proj_conv", new Op.Conv(24, 1, 2, 0, 1, false), "stem_relu"));
        n.add(Node.of("x_proj_bn", new Op.BatchNorm(), "x_proj_conv"));
        n.add(Node.of("x_add", new Op.Add(), "x_c_bn", "x_proj_bn"));
        n.add(Node.of("x_relu", new Op.Act(Activation.RELU), "x_add"));
        n.add(Node.of("gap", new Op.GlobalAvgPool(), "x_relu"));
        n.add(Node.of("out", new Op.Classifier(CLASSES), "gap"));
        return OpGraph.of(Shape.of(3, 12, 12), n);
    }

    @ParameterizedTest
    @EnumSource(Fidelity.Optimizer.class)
    void aGroupedNetworkTrainsToTheSameLossesInDl4jAndPyTorchFromTheSameWeights(Fidelity.Optimizer optimizer,
                                                                               @TempDir Path dir) throws Exception {
        String python = Torch.required().python();
        OpGraph graph = xBottleneck();
        assertThat(graph.nodes().stream().filter(nd -> graph.kind(nd).equals("gconv")).count()).isEqualTo(1);
        // SGD with a constant rate: DL4J's Nesterov velocity holds lr·g, PyTorch's buffer g, equal only at a fixed lr
        Fidelity f = optimizer == Fidelity.Optimizer.ADAM
                ? new Fidelity(1, STEPS * BATCH, BATCH, BATCH, optimizer, 3e-3, Fidelity.Schedule.COSINE, 1e-3, 7)
                : new Fidelity(1, STEPS * BATCH, BATCH, BATCH, optimizer, 0.05, Fidelity.Schedule.CONSTANT, 1e-3, 7);
        TrainingRecipe recipe = TrainingRecipe.proxy(f);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.FLOAT, STEPS * BATCH, 3, 12, 12);
        INDArray labels = Nd4j.createFromArray(java.util.stream.IntStream.range(0, STEPS * BATCH).map(i -> (i * 7) % CLASSES).toArray());
        Files.writeString(dir.resolve("graph.json"), OpGraphJson.write(graph));
        Files.writeString(dir.resolve("recipe.json"), recipe.toJson().toString());
        Nd4j.writeAsNumpy(x, dir.resolve("x.npy").toFile());
        Nd4j.writeAsNumpy(labels, dir.resolve("y.npy").toFile());
        Nd4j.writeAsNumpy(Nd4j.scalar(BATCH), dir.resolve("batch.npy").toFile());
        run(python, dir);
        double[] torchLosses = Nd4j.createFromNpyFile(dir.resolve("losses.npy").toFile()).toDoubleVector();
        assertThat(torchLosses).hasSize(STEPS);

        ComputationGraph net = TorchWeights.read(dir.resolve("init.npz")).into(Dl4jRecipe.network(graph, recipe, STEPS), graph);
        try {
            assertThat(net.getLayer("x_b_conv")).isInstanceOf(GroupedConvolutionLayer.class);
            double[] dl4jLosses = new double[STEPS];
            for (int s = 0; s < STEPS; s++) {
                INDArray xb = x.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH)).dup();
                INDArray yb = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
                for (int i = 0; i < BATCH; i++) yb.putScalar(i, labels.getInt(s * BATCH + i), 1f);
                dl4jLosses[s] = ProxyTrainer.fit(net, new DataSet(xb, yb));
            }
            System.out.println(optimizer + ": DL4J " + java.util.Arrays.toString(dl4jLosses) + ", PyTorch " + java.util.Arrays.toString(torchLosses));
            assertThat(torchLosses[STEPS - 1]).as("the loss moved").isNotCloseTo(torchLosses[0], org.assertj.core.data.Offset.offset(1e-3));
            for (int s = 0; s < STEPS; s++) {
                assertThat(dl4jLosses[s]).as("step %d's loss", s + 1).isCloseTo(torchLosses[s], org.assertj.core.data.Offset.offset(1e-4));
            }
            // ... and so do the weights after the last step, grouped convolution included: within 2 % of the largest
            // change training made (Adam's first steps move every weight by about ±lr, whatever its gradient's float noise)
            Map<String, INDArray> before = Nd4j.createFromNpzFile(dir.resolve("init.npz").toFile());
            Map<String, INDArray> after = Nd4j.createFromNpzFile(dir.resolve("final.npz").toFile());
            for (String conv : List.of("x_b_conv", "x_a_conv", "x_c_conv")) {
                INDArray w = net.getLayer(conv).getParam("W");
                INDArray t = after.get(conv + ".weight").reshape(w.shape()).castTo(w.dataType());
                double change = t.sub(before.get(conv + ".weight").reshape(w.shape()).castTo(w.dataType())).amaxNumber().doubleValue();
                assertThat(change).as(conv + " changed").isGreaterThan(1e-4);
                assertThat(w.sub(t).amaxNumber().doubleValue()).as(conv + " after training").isLessThan(0.02 * change);
            }
        } finally {
            net.clear();
        }
    }

    private static void run(String python, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(python, Path.of("src/test/python/train_check.py").toAbsolutePath().toString(),
                dir.toString()).redirectError(dir.resolve("python.log").toFile());
        pb.environment().put("PYTHONPATH", WorkerSources.unpack(dir.resolve("cache")).toString());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("python.log"))).isZero();
        assertThat(out.strip()).isEqualTo("ok");
    }
}
