package org.anynas.torch;

import org.anynas.dl4j.Blocks;
import org.anynas.dl4j.CpuBackend;
import org.anynas.dl4j.GraphTranslator;
import org.anynas.evaluator.GroupedConvolution;
import org.anynas.evaluator.GroupedConvolutionLayer;
import org.anynas.dl4j.Standardisation;
import org.anynas.dl4j.Tensors;

import onnx.Onnx;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.InputRule;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.OnnxWriter;
import org.anynas.space.Activation;
import org.anynas.space.Fidelity;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.Shape;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DL4J grouped convolution ({@link GroupedConvolution}): against a direct loop over the definition, finite
 * differences in a network, its own NCHW form in NHWC, PyTorch's {@code groups=} on the same weights, and ONNX
 * Runtime after export; full and depthwise convolutions keep DL4J's own layers.
 */
class GroupedConvolutionTest {

    static {
        CpuBackend.activate();
    }

    /** One layer outside any network, for direct forward and backward calls. */
    record Single(Layer layer, INDArray params, INDArray grads) {
        static Single of(int cin, int cout, int k, int stride, int pad, int groups, boolean bias, DataType type, CNN2DFormat format) {
            GroupedConvolution conf = new GroupedConvolution.Builder(k, groups).nOut(cout).stride(stride, stride)
                    .padding(pad, pad).hasBias(bias).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
            conf.setNIn(cin);
            conf.setCnn2dDataFormat(format);
            NeuralNetConfiguration nn = new NeuralNetConfiguration.Builder().dataType(type).seed(3).layer(conf).build();
            long n = conf.initializer().numParams(nn);
            INDArray params = Nd4j.create(type, 1, n);
            INDArray grads = Nd4j.create(type, 1, n);
            Layer layer = nn.getLayer().instantiate(nn, List.of(), 0, params, true, type);
            layer.setBackpropGradientsViewArray(grads);
            return new Single(layer, params, grads);
        }

        INDArray forward(INDArray x) {
            layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
            return layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        }

        Pair<Gradient, INDArray> backward(INDArray x, INDArray dy) {
            forward(x);
            return layer.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
        }
    }

    /** y, dx, dw, db of a grouped convolution by its definition, loop by loop, in double. */
    static Map<String, INDArray> definition(INDArray x, INDArray w, INDArray b, INDArray dy, int stride, int pad, int groups) {
        int n = (int) x.size(0), c = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
        int k = (int) w.size(0), cg = (int) w.size(1), kh = (int) w.size(2), kw = (int) w.size(3);
        int oh = (int) dy.size(2), ow = (int) dy.size(3), kg = k / groups;
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, k, oh, ow);
        INDArray dx = Nd4j.zeros(DataType.DOUBLE, n, c, h, wd);
        INDArray dw = Nd4j.zeros(DataType.DOUBLE, w.shape());
        INDArray db = Nd4j.zeros(DataType.DOUBLE, k);
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < k; o++) {
                int group = o / kg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = b == null ? 0 : b.getDouble(o);
                        double g = dy.getDouble(s, o, i, j);
                        db.putScalar(o, db.getDouble(o) + g);
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = group * cg + ci;
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int r = i * stride + u - pad, q = j * stride + v - pad;
                                    if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                                    acc += w.getDouble(o, ci, u, v) * x.getDouble(s, ch, r, q);
                                    dw.putScalar(new int[]{o, ci, u, v}, dw.getDouble(o, ci, u, v) + g * x.getDouble(s, ch, r, q));
                                    dx.putScalar(new int[]{s, ch, r, q}, dx.getDouble(s, ch, r, q) + g * w.getDouble(o, ci, u, v));
                                }
                            }
                        }
                        y.putScalar(new int[]{s, o, i, j}, acc);
                    }
                }
            }
        }
        return Map.of("y", y, "dx", dx, "dw", dw, "db", db);
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).reshape(b.length()).sub(b.castTo(DataType.DOUBLE).reshape(b.length())).amaxNumber().doubleValue();
    }

    /** One forward and backward pass of a case's layer on random input and output gradient (drawn in this order). */
    private record Pass(Single l, INDArray x, INDArray y, INDArray dy, Pair<Gradient, INDArray> g) {
        static Pass of(int[] t) {
            Single l = Single.of(t[0], t[1], t[2], t[3], t[4], t[5], t[6] == 1, DataType.DOUBLE, CNN2DFormat.NCHW);
            if (t[6] == 1) l.layer().getParam("b").assign(Nd4j.rand(DataType.DOUBLE, 1, t[1]).subi(0.5));
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, t[0], t[7], width(t)).subi(0.5);
            INDArray y = l.forward(x);
            INDArray dy = Nd4j.rand(DataType.DOUBLE, y.shape()).subi(0.5);
            return new Pass(l, x, y, dy, l.backward(x, dy));
        }

        /** y, dx, dW (and db with a bias) equal {@code expected}'s to 1e-12. */
        void assertMatches(Map<String, INDArray> expected, int[] t) {
            String what = java.util.Arrays.toString(t);
            assertThat(maxDiff(y, expected.get("y"))).as("y " + what).isLessThan(1e-12);
            assertThat(maxDiff(g.getSecond(), expected.get("dx"))).as("dx " + what).isLessThan(1e-12);
            assertThat(maxDiff(g.getFirst().getGradientFor("W"), expected.get("dw"))).as("dW " + what).isLessThan(1e-12);
            if (t[6] == 1) assertThat(maxDiff(g.getFirst().getGradientFor("b"), expected.get("db"))).as("db " + what).isLessThan(1e-12);
        }
    }

    /** The input's width: h unless a case gives its own (a ninth entry). */
    static int width(int[] t) {
        return t.length > 8 ? t[8] : t[7];
    }

    /** Shapes that cover strides, padding, bias, one and several channels per group, and more outputs than inputs. */
    static final int[][] CASES = {
            // cin, cout, k, stride, pad, groups, bias, h[, w]
            {4, 6, 3, 1, 1, 2, 1, 5},
            {6, 6, 3, 2, 1, 3, 0, 7},
            {8, 16, 1, 1, 0, 4, 1, 4},
            {8, 4, 5, 2, 2, 2, 0, 6},
            {12, 24, 3, 1, 0, 6, 1, 5},
            // wide groups: one call per group (MIN_SPAN channels), and two calls of two groups each
            {64, 32, 3, 2, 1, 2, 1, 5},
            {64, 16, 3, 1, 1, 4, 0, 4},
            // the ends: one group (a full convolution) and one channel per group (depthwise)
            {4, 6, 3, 1, 1, 1, 1, 5},
            {6, 12, 3, 2, 1, 6, 0, 6},
            // a non-square input, strided, in one call and in one call per group
            {8, 8, 3, 2, 1, 2, 1, 5, 8},
            {64, 32, 3, 1, 1, 2, 0, 3, 6},
    };

    @Test
    void forwardAndBackwardEqualTheDefinitionLoopByLoop() {
        Nd4j.getRandom().setSeed(11);
        for (int[] t : CASES) {
            Pass p = Pass.of(t);
            INDArray b = t[6] == 1 ? p.l().layer().getParam("b").reshape(t[1]) : null;
            Map<String, INDArray> ref = definition(p.x(), p.l().layer().getParam("W"), b, p.dy(), t[3], t[4], t[5]);
            assertThat(p.y().shape()).as(java.util.Arrays.toString(t)).isEqualTo(ref.get("y").shape());
            p.assertMatches(ref, t);
        }
    }

    @Test
    void channelsLastComputesWhatChannelsFirstComputes() {
        Nd4j.getRandom().setSeed(12);
        for (int[] t : CASES) {
            Single nchw = Single.of(t[0], t[1], t[2], t[3], t[4], t[5], t[6] == 1, DataType.DOUBLE, CNN2DFormat.NCHW);
            Single nhwc = Single.of(t[0], t[1], t[2], t[3], t[4], t[5], t[6] == 1, DataType.DOUBLE, CNN2DFormat.NHWC);
            nhwc.params().assign(nchw.params().addi(0.01));
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, t[0], t[7], width(t));
            INDArray y = nchw.forward(x);
            INDArray dy = Nd4j.rand(DataType.DOUBLE, y.shape());
            Pair<Gradient, INDArray> a = nchw.backward(x, dy);
            INDArray xl = x.permute(0, 2, 3, 1).dup('c');
            INDArray yl = nhwc.forward(xl);
            assertThat(maxDiff(yl.permute(0, 3, 1, 2), y)).isLessThan(1e-12);
            Pair<Gradient, INDArray> b = nhwc.backward(xl, dy.permute(0, 2, 3, 1).dup('c'));
            assertThat(maxDiff(b.getSecond().permute(0, 3, 1, 2), a.getSecond())).isLessThan(1e-12);
            assertThat(maxDiff(nhwc.grads(), nchw.grads())).isLessThan(1e-12);
        }
    }

    @Test
    void gradientsOfANetworkWithGroupedConvolutionsMatchFiniteDifferences() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            OpGraph g = Blocks.grouped(Shape.of(2, 6, 6), 3);
            ComputationGraph net = new ComputationGraph(GraphTranslator.of(DataType.DOUBLE).configuration(g, new NoOp(), 12, 0));
            net.init();
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
            for (int i = 0; i < 3; i++) y.putScalar(i, i, 1.0);
            Set<String> runningStats = net.paramTable().keySet().stream()
                    .filter(k -> k.endsWith("_bn_mean") || k.endsWith("_bn_var") || k.endsWith("_bn_log10stdev"))
                    .collect(Collectors.toSet());
            assertThat(net.getLayer("g1_conv")).isInstanceOf(GroupedConvolutionLayer.class);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).excludeParams(runningStats)
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(true));
            assertThat(ok).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void fullAndDepthwiseKeepDl4jsLayersAndGroupedOnesHoldTheGraphsParameters() throws Exception {
        OpGraph g = OpGraph.of(Shape.of(8, 6, 6), List.of(
                Node.of("full", new Op.Conv(8, 3, 1, 1, 1, false), "input"),
                Node.of("grouped", new Op.Conv(16, 3, 1, 1, 4, true), "full"),
                Node.of("depthwise", new Op.Conv(32, 3, 1, 1, 16, false), "grouped"),
                Node.of("gap", new Op.GlobalAvgPool(), "depthwise"),
                Node.of("out", new Op.Classifier(3), "gap")));
        ComputationGraphConfiguration conf = GraphTranslator.floats().configuration(g, new NoOp(), 1, 0);
        assertThat(conf.getVertices().get("full")).extracting(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .isExactlyInstanceOf(ConvolutionLayer.class);
        assertThat(conf.getVertices().get("depthwise")).extracting(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .isExactlyInstanceOf(DepthwiseConvolution2D.class);
        ComputationGraph net = GraphTranslator.floats().build(g, new Fidelity(1, 8, 8, 8, Fidelity.Optimizer.ADAM, 0.01,
                Fidelity.Schedule.CONSTANT, 0, 1), 1);
        assertThat(net.getLayer("grouped")).isInstanceOf(GroupedConvolutionLayer.class);
        assertThat(net.getLayer("grouped").getParam("W").shape()).containsExactly(16, 2, 3, 3);
        for (String name : List.of("full", "grouped", "depthwise", "out")) {
            assertThat(net.getLayer(name).numParams()).as(name).isEqualTo(g.layer(name).params());
        }
        // the configuration, groups included, survives DL4J's JSON, and so does a saved network
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        assertThat(((GroupedConvolution) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("grouped"))
                .getLayerConf().getLayer()).getGroups()).isEqualTo(4);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph loaded = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 8, 6, 6);
        assertThat(loaded.outputSingle(false, x)).isEqualTo(net.outputSingle(false, x));
        // a few steps train it (the loss falls on a fixed batch)
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 3);
        labels.putScalar(0, 0, 1);
        labels.putScalar(1, 2, 1);
        DataSet d = new DataSet(x, labels);
        double before = net.score(d);
        for (int i = 0; i < 20; i++) net.fit(d);
        assertThat(net.score(d)).isLessThan(before / 2);
    }

    @Test
    void forwardAndBackwardEqualPyTorchsGroupsOnTheSameWeights(@TempDir Path dir) throws Exception {
        String python = org.anynas.torch.Torch.required().python();
        Nd4j.getRandom().setSeed(13);
        for (int[] t : CASES) {
            Pass p = Pass.of(t);
            Single l = p.l();
            INDArray x = p.x();
            INDArray dy = p.dy();
            Path io = java.nio.file.Files.createDirectories(dir.resolve("case" + java.util.Arrays.stream(t).mapToObj(String::valueOf)
                    .collect(Collectors.joining("-"))));
            Nd4j.writeAsNumpy(x, io.resolve("x.npy").toFile());
            Nd4j.writeAsNumpy(l.layer().getParam("W").dup('c'), io.resolve("w.npy").toFile());
            if (t[6] == 1) Nd4j.writeAsNumpy(l.layer().getParam("b").reshape(t[1]).dup('c'), io.resolve("b.npy").toFile());
            Nd4j.writeAsNumpy(dy, io.resolve("dy.npy").toFile());
            Nd4j.writeAsNumpy(Nd4j.createFromArray((double) t[3], t[4], t[5]), io.resolve("attrs.npy").toFile());
            Path dst = io.resolve("out.npz");
            python(python, dir, "check", io.toString(), dst.toString());
            p.assertMatches(Nd4j.createFromNpzFile(dst.toFile()), t);
        }
    }

    @Test
    void anExportedGroupedNetworkComputesInOnnxRuntimeWhatItComputesInDl4j() {
        Dataset fashion = Datasets.load("fashion-mnist", null, 1000, 1);
        Standardisation norm = Standardisation.of(fashion.train().first(2000));
        Tensors train = Tensors.of(fashion.train().first(32), norm.asArrays());
        OpGraph graph = Blocks.grouped(Shape.of(1, 28, 28), 10);
        ComputationGraph net = GraphTranslator.floats().build(graph, new Fidelity(1, 128, 128, 32, Fidelity.Optimizer.ADAM,
                0.003, Fidelity.Schedule.CONSTANT, 0, 1), 1);
        for (int step = 0; step < 2; step++) {
            int[] idx = new int[16];
            for (int i = 0; i < idx.length; i++) idx[i] = step * 16 + i;
            INDArray[] xy = train.batch(idx);
            net.fit(new DataSet(xy[0], xy[1]));
        }
        ComputationGraph deployable = GraphTranslator.floats().deployable(graph, norm, net);
        ModelMetadata meta = new ModelMetadata(ModelMetadata.INPUT, graph.input(), fashion.classNames(), "fashion-mnist",
                "0123456789abcdef", norm, 0.5, Double.NaN, InputRule.STRETCH);
        Onnx.ModelProto model = OnnxWriter.of(graph, meta).write(net);
        Onnx.NodeProto g2 = model.getGraph().getNodeList().stream().filter(nd -> nd.getName().equals("g2_conv")
                || nd.getOutput(0).equals("g2_conv")).findFirst().orElseThrow();
        assertThat(g2.getAttributeList()).anySatisfy(a -> {
            assertThat(a.getName()).isEqualTo("group");
            assertThat(a.getI()).isEqualTo(4);
        });
        long params = model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().endsWith(".weight") || t.getName().endsWith(".bias"))
                .mapToLong(t -> t.getDimsList().stream().reduce(1L, (a, b) -> a * b)).sum();
        assertThat(params).isEqualTo(graph.params());
        CrossRuntimeCheck check = CrossRuntimeCheck.of(net, norm, model, deployable, fashion.test().first(64));
        assertThat(check.passes()).as(check.oneLine()).isTrue();
        System.out.println("grouped network: " + check.oneLine());
    }

    static List<String> python(String python, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, Path.of("src/test/python/grouped_conv.py").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("python.log").toFile());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(java.nio.file.Files.readString(dir.resolve("python.log"))).isZero();
        return out.lines().toList();
    }
}
