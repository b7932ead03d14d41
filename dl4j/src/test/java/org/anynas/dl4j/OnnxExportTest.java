package org.anynas.dl4j;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;

import onnx.Onnx;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageSet;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.OnnxRuntimeModel;
import org.anynas.dl4j.onnx.OnnxWriter;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.DesignSpace;
import org.anynas.space.Downsample;
import org.anynas.space.Fidelity;
import org.anynas.space.Genome;
import org.anynas.space.Head;
import org.anynas.space.OpGraph;
import org.anynas.space.Sampler;
import org.anynas.space.Stage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * model.onnx in ONNX Runtime computes what the DL4J network computes, on real Fashion-MNIST test images, for every
 * block type, activation and sampled architectures of each built-in space; planted layout errors are caught.
 */
class OnnxExportTest {
    /** Architectures sampled per built-in space; the 50 with -Danynas.onnx.samples=50 (about 15 min on 2 cores). */
    private static final int SAMPLES = Integer.getInteger("anynas.onnx.samples", 4);
    private static final Fidelity FIDELITY = new Fidelity(1, 128, 128, 32, Fidelity.Optimizer.ADAM, 0.003,
            Fidelity.Schedule.CONSTANT, 0, 1);
    private static final Dataset FASHION = Datasets.load("fashion-mnist", null, 1000, 1);
    private static final ImageSet IMAGES = FASHION.test().first(64);
    private static final Standardisation NORM = Standardisation.of(FASHION.train().first(5000));
    private static final Tensors TRAIN = Tensors.of(FASHION.train().first(32), NORM.asArrays());
    private static final Activation[] ACTIVATIONS = {Activation.RELU, Activation.LEAKY_RELU, Activation.ELU, Activation.SILU};
    static double largestDifference = 0;

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void everyBlockTypeWithAndWithoutSeAndEveryActivationMatchesDl4j(BlockType block) {
        for (boolean se : new boolean[]{false, true}) {
            Activation act = ACTIVATIONS[(block.ordinal() * 2 + (se ? 1 : 0)) % ACTIVATIONS.length];
            {
                Architecture tiny = Blocks.tiny(block, se, FASHION.shape(), FASHION.classes());
                List<Stage> stages = List.of(tiny.stages().get(0), tiny.stages().get(1).withDownsample(
                        act.ordinal() % 2 == 0 ? Downsample.AVG_POOL : Downsample.MAX_POOL));
                Architecture arch = Architecture.of(tiny.input(), tiny.classes(), act, tiny.stem(), stages, Head.of(0.3, 6));
                assertMatches(arch, IMAGES);
            }
        }
    }

    /** Every built-in space, so that a new one is exported in this test without anyone adding it here. */
    static List<String> builtInSpaces() {
        return DesignSpace.BUILT_IN;
    }

    @ParameterizedTest
    @MethodSource("builtInSpaces")
    void sampledArchitecturesOfEachBuiltInSpaceMatchDl4j(String space) {
        Genome layout = DesignSpace.load(space).genome(FASHION.shape(), FASHION.classes());
        Sampler sampler = Sampler.of(layout);
        Random random = new Random(11);
        for (int i = 0; i < SAMPLES; i++) assertMatches(layout.decode(sampler.sample(random, 40_000)), IMAGES);
    }

    @Test
    void theOnnxInitializersHoldExactlyTheSpacesParametersAndTheMetadataIsComplete() {
        Architecture arch = Blocks.tiny(BlockType.INCEPTION, true, FASHION.shape(), FASHION.classes());
        ComputationGraph net = trainedLike(arch.graph());
        try {
            Onnx.ModelProto model = OnnxWriter.of(arch.graph(), metadata(arch)).write(net);
            long params = 0;
            long statistics = 0;
            for (Onnx.TensorProto t : model.getGraph().getInitializerList()) {
                long n = t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
                if (t.getName().endsWith(".weight") || t.getName().endsWith(".bias")) params += n;
                if (t.getName().endsWith(".running_mean") || t.getName().endsWith(".running_var")) statistics += n;
            }
            assertThat(params).isEqualTo(arch.graph().params());
            assertThat(statistics).isEqualTo(arch.graph().bnStatistics());
            assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(OnnxWriter.OPSET);
            try (OnnxRuntimeModel loaded = OnnxRuntimeModel.of(model.toByteArray())) {
                Map<String, String> meta = loaded.metadata();
                assertThat(meta).containsEntry("input_name", "image").containsEntry("input_shape", "[batch, 1, 28, 28]")
                        .containsEntry("dataset", "fashion-mnist").containsKeys("architecture_hash", "val_acc", "standardisation");
                assertThat(ModelMetadata.classNames(meta.get("class_names"))).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
            }
        } finally {
            net.clear();
        }
    }

    @Test
    void aTransposedKernelOrAMissingBatchNormEpsilonFailsTheCheck() {
        Architecture arch = Blocks.tiny(BlockType.RESIDUAL, false, FASHION.shape(), FASHION.classes());
        OpGraph graph = arch.graph();
        ComputationGraph net = trainedLike(graph);
        ComputationGraph deployable = GraphTranslator.floats().deployable(graph, NORM, net);
        try {
            // a channel whose variance is of the order of ε, as dead or nearly constant channels have
            net.getLayer("stem_bn").getParam("log10stdev").putScalar(0, Math.log10(Math.sqrt(1e-3)));
            deployable.setParams(net.params());
            Onnx.ModelProto good = OnnxWriter.of(graph, metadata(arch)).write(net);
            CrossRuntimeCheck ok = CrossRuntimeCheck.of(net, NORM, good, deployable, IMAGES);
            assertThat(ok.passes()).as(ok.oneLine()).isTrue();

            Onnx.ModelProto transposed = mapInitializer(good, "stem_conv.weight", OnnxExportTest::transposeSpatially);
            CrossRuntimeCheck t = CrossRuntimeCheck.of(net, NORM, transposed, deployable, IMAGES);
            assertThat(t.passes()).as(t.oneLine()).isFalse();

            Onnx.ModelProto.Builder noEps = good.toBuilder();
            for (Onnx.NodeProto.Builder n : noEps.getGraphBuilder().getNodeBuilderList()) {
                if (n.getOpType().equals("BatchNormalization")) {
                    n.clearAttribute().addAttribute(Onnx.AttributeProto.newBuilder().setName("epsilon")
                            .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(0f));
                }
            }
            CrossRuntimeCheck e = CrossRuntimeCheck.of(net, NORM, noEps.build(), deployable, IMAGES);
            assertThat(e.passes()).as(e.oneLine()).isFalse();
        } finally {
            net.clear();
            deployable.clear();
        }
    }

    @Test
    void anExportWhoseFilesDisagreeWithTheNetworkFailsInOneLineAndWritesNothing(@TempDir Path dir) {
        Architecture arch = Blocks.tiny(BlockType.PLAIN, false, FASHION.shape(), FASHION.classes());
        ComputationGraph net = trainedLike(arch.graph());
        try {
            net.getLayer("classifier").getParam("W").putScalar(0, 0, Float.NaN); // what no runtime can agree on
            EvaluationResult result = EvaluationResult.failed(Status.OK, "", List.of(), 0, 0, 0, "cpu");
            Path out = dir.resolve("export");
            assertThatThrownBy(() -> ModelExport.write(out, net, arch, FIDELITY, NORM, FASHION, result, "test", false))
                    .isInstanceOf(ModelExport.ExportException.class)
                    .hasMessageContaining("do not compute the trained network").hasMessageNotContaining("\n");
            assertThat(dir).isEmptyDirectory();
        } finally {
            net.clear();
        }
    }

    private static void assertMatches(Architecture arch, ImageSet images) {
        OpGraph graph = arch.graph();
        ComputationGraph net = trainedLike(graph);
        ComputationGraph deployable = GraphTranslator.floats().deployable(graph, NORM, net);
        try {
            Onnx.ModelProto model = OnnxWriter.of(graph, metadata(arch)).write(net);
            dump(arch, model);
            CrossRuntimeCheck check = CrossRuntimeCheck.of(net, NORM, model, deployable, images);
            synchronized (OnnxExportTest.class) {
                largestDifference = Math.max(largestDifference, check.onnxDifference());
            }
            assertThat(check.passes()).as(arch.oneLine() + ": " + check.oneLine()).isTrue();
            System.out.println(arch.oneLine() + ": " + check.oneLine());
        } finally {
            net.clear();
            deployable.clear();
        }
    }

    /** With -Danynas.onnx.dump=DIR the models are kept, for ONNX's Python checker where it is installed. */
    private static void dump(Architecture arch, Onnx.ModelProto model) {
        String dir = System.getProperty("anynas.onnx.dump");
        if (dir == null) return;
        try {
            java.nio.file.Files.createDirectories(Path.of(dir));
            java.nio.file.Files.write(Path.of(dir, org.anynas.space.ArchitectureJson.hash(arch) + ".onnx"), model.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A network after a few Adam steps on real images: unsaturated outputs, BN statistics away from 0 / 1. */
    static ComputationGraph trainedLike(OpGraph graph) {
        ComputationGraph net = GraphTranslator.floats().build(graph, FIDELITY, 1);
        for (int step = 0; step < 2; step++) {
            int[] idx = new int[16];
            for (int i = 0; i < idx.length; i++) idx[i] = step * 16 + i;
            INDArray[] xy = TRAIN.batch(idx);
            net.fit(new DataSet(xy[0], xy[1]));
        }
        return net;
    }

    private static ModelMetadata metadata(Architecture arch) {
        return ModelMetadata.of(arch, "fashion-mnist", NORM, 0.5, Double.NaN);
    }

    private static Onnx.ModelProto mapInitializer(Onnx.ModelProto model, String name, java.util.function.UnaryOperator<Onnx.TensorProto> f) {
        Onnx.ModelProto.Builder b = model.toBuilder();
        Onnx.GraphProto.Builder g = b.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(name)) g.setInitializer(i, f.apply(g.getInitializer(i)));
        }
        return b.build();
    }

    /** [out, in, kH, kW] with kH and kW swapped: the classic layout bug of square kernels. */
    private static Onnx.TensorProto transposeSpatially(Onnx.TensorProto t) {
        int o = (int) t.getDims(0), i = (int) t.getDims(1), h = (int) t.getDims(2), w = (int) t.getDims(3);
        ByteBuffer src = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        for (int a = 0; a < o * i; a++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) dst.putFloat(4 * ((a * h + y) * w + x), src.getFloat(4 * ((a * w + x) * h + y)));
            }
        }
        return t.toBuilder().setRawData(ByteString.copyFrom(dst.array())).build();
    }
}
