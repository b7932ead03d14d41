package org.anynas.dl4j.onnx;

import onnx.Onnx;
import org.anynas.dl4j.Standardisation;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.anynas.dl4j.onnx.OnnxGraph.integer;
import static org.anynas.dl4j.onnx.OnnxGraph.ints;
import static org.anynas.dl4j.onnx.OnnxGraph.real;
import static org.anynas.dl4j.onnx.OnnxGraph.string;

/**
 * Writes an ONNX model from the space's op graph and a trained DL4J network's parameters, op by op (no
 * tracing): the input standardisation first, then every node under its own name, dropout left out, softmax
 * last. Initializers are named like PyTorch's state_dict ({@code node.weight}, {@code node.bias},
 * {@code node.running_mean}, {@code node.running_var}).
 */
public final class OnnxWriter {
    /** The one opset every exported model uses (ONNX 1.8+, any ONNX Runtime since 1.6). */
    public static final int OPSET = 13;
    private static final int IR_VERSION = 7;

    private final OpGraph graph;
    private final ModelMetadata metadata;

    private OnnxWriter(OpGraph graph, ModelMetadata metadata) {
        this.graph = graph;
        this.metadata = metadata;
    }

    public static OnnxWriter of(OpGraph graph, ModelMetadata metadata) {
        return new OnnxWriter(graph, metadata);
    }

    /** The model for {@code trained}, a network that GraphTranslator built from this op graph. */
    public Onnx.ModelProto write(ComputationGraph trained) {
        OnnxGraph g = OnnxGraph.named("anynas_" + metadata.architectureHash().substring(0, 8));
        Shape in = graph.input();
        g.input(OnnxGraph.value(metadata.inputName(), -1, in.channels(), in.height(), in.width()));
        Map<String, String> tensorOf = new HashMap<>(); // op-graph node → ONNX tensor holding its output
        tensorOf.put(OpGraph.INPUT, standardise(g, metadata.inputName(), metadata.standardisation()));
        for (Node node : graph.nodes()) {
            List<String> inputs = node.inputs().stream().map(tensorOf::get).toList();
            tensorOf.put(node.name(), add(g, node, inputs, trained));
        }
        String logits = tensorOf.get(graph.output().name());
        g.node("Softmax", ModelMetadata.OUTPUT, List.of(logits), integer("axis", 1));
        g.output(OnnxGraph.value(ModelMetadata.OUTPUT, -1, graph.outputShape().channels()));

        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .setProducerName("AnyNAS").setProducerVersion("0.1.0").setDomain("org.anynas")
                .setDocString("AnyNAS export of architecture " + metadata.architectureHash() + " trained on " + metadata.dataset())
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g.build());
        metadata.properties().forEach((k, v) -> model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    private static String standardise(OnnxGraph g, String input, Standardisation s) {
        long[] dims = {1, s.channels(), 1, 1};
        String name = "input_standardise";
        String centred = g.node("Sub", name + "_centred", List.of(input, g.floats(name + ".mean", dims, s.mean())));
        return g.node("Div", name, List.of(centred, g.floats(name + ".std", dims, s.std())));
    }

    private String add(OnnxGraph g, Node node, List<String> in, ComputationGraph trained) {
        String name = node.name();
        Op op = node.op();
        if (op instanceof Op.Conv c) {
            Map<String, INDArray> p = params(trained, name);
            // full and grouped convolutions hold ONNX's [out, in/groups, kH, kW] already
            boolean depthwise = c.depthwise(graph.shapeOf(node.inputs().get(0)).channels());
            Dl4jLayout.Tensor w = depthwise ? Dl4jLayout.depthwise(p.get("W")) : Dl4jLayout.conv(p.get("W"));
            List<String> inputs = c.bias()
                    ? List.of(in.get(0), g.floats(name + ".weight", w.dims(), w.values()), g.floats(name + ".bias",
                    new long[]{c.filters()}, Dl4jLayout.vector(p.get("b"))))
                    : List.of(in.get(0), g.floats(name + ".weight", w.dims(), w.values()));
            long k = c.kernel();
            long s = c.stride();
            long pad = c.padding();
            return g.node("Conv", name, inputs, ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", pad, pad, pad, pad),
                    ints("dilations", 1, 1), integer("group", c.groups()));
        }
        if (op instanceof Op.BatchNorm) {
            Layer layer = trained.getLayer(name);
            BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
            Map<String, INDArray> p = layer.paramTable();
            long[] dims = {p.get("gamma").length()};
            float[] var = conf.isUseLogStd() ? Dl4jLayout.varianceFromLog10Std(p.get("log10stdev"))
                    : Dl4jLayout.vector(p.get("var"));
            return g.node("BatchNormalization", name, List.of(in.get(0),
                    g.floats(name + ".weight", dims, Dl4jLayout.vector(p.get("gamma"))),
                    g.floats(name + ".bias", dims, Dl4jLayout.vector(p.get("beta"))),
                    g.floats(name + ".running_mean", dims, Dl4jLayout.vector(p.get("mean"))),
                    g.floats(name + ".running_var", dims, var)), real("epsilon", (float) conf.getEps()));
        }
        if (op instanceof Op.Act a) {
            return switch (a.function()) {
                case RELU -> g.node("Relu", name, in);
                case LEAKY_RELU -> g.node("LeakyRelu", name, in, real("alpha", 0.01f)); // DL4J's LEAKYRELU default
                case ELU -> g.node("Elu", name, in, real("alpha", 1f));
                case SIGMOID -> g.node("Sigmoid", name, in);
                // DL4J's SWISH: x·σ(x); opset 13 has no SiLU op
                case SILU -> g.node("Mul", name, List.of(in.get(0), g.node("Sigmoid", name + "_sigmoid", in)));
            };
        }
        if (op instanceof Op.Pool p) {
            long k = p.kernel();
            long s = p.stride();
            long pad = p.padding();
            if (p.type() == Op.PoolKind.MAX) {
                return g.node("MaxPool", name, in, ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", pad, pad, pad, pad));
            }
            // DL4J divides by the window's cells inside the image (avgPoolIncludePadInDivisor = false): ONNX's
            // default count_include_pad = 0, left unwritten, since a proto3 zero is not serialised and OpenCV then
            // refuses the valueless attribute
            return g.node("AveragePool", name, in, ints("kernel_shape", k, k), ints("strides", s, s),
                    ints("pads", pad, pad, pad, pad));
        }
        if (op instanceof Op.GlobalAvgPool) {
            return g.node("Flatten", name, List.of(g.node("GlobalAveragePool", name + "_nchw", in)), integer("axis", 1));
        }
        if (op instanceof Op.Add) {
            return g.node(in.size() == 2 ? "Add" : "Sum", name, in);
        }
        if (op instanceof Op.Concat) {
            return g.node("Concat", name, in, integer("axis", 1));
        }
        if (op instanceof Op.SeScale) {
            // x · gate, the gate [N, C] spread to x's [N, C, H, W]: Reshape to [N, C, 1, 1], then a nearest Resize (copies,
            // exact), then a Mul of equal shapes. OpenCV 4.6's DNN refuses a two-axis Unsqueeze and runs a broadcasting
            // Mul only for one image at a time; ONNX Runtime takes either form.
            Shape x = graph.shapeOf(node.inputs().get(0));
            String gate = g.node("Reshape", name + "_gate", List.of(in.get(1), g.longs(name + ".shape", -1, x.channels(), 1, 1)));
            String spread = g.node("Resize", name + "_gate_spread", List.of(gate, g.floats(name + ".roi", new long[]{0}, new float[0]),
                    g.floats(name + ".scales", new long[]{4}, new float[]{1, 1, x.height(), x.width()})), string("mode", "nearest"));
            return g.node("Mul", name, List.of(in.get(0), spread));
        }
        if (op instanceof Op.Dense d) {
            return gemm(g, node, flat(g, node, in.get(0)), params(trained, name), d.bias());
        }
        if (op instanceof Op.Dropout) {
            return in.get(0); // identity at inference
        }
        if (op instanceof Op.Classifier) {
            return gemm(g, node, flat(g, node, in.get(0)), params(trained, name), true);
        }
        throw new IllegalArgumentException("no ONNX translation for op " + op);
    }

    /** Dense layers see a vector; a feature-map input is flattened in C·H·W order, as DL4J's preprocessor does. */
    private String flat(OnnxGraph g, Node node, String input) {
        Shape s = graph.shapeOf(node.inputs().get(0));
        return s.flat() ? input : g.node("Flatten", node.name() + "_flat", List.of(input), integer("axis", 1));
    }

    private static String gemm(OnnxGraph g, Node node, String input, Map<String, INDArray> p, boolean bias) {
        String name = node.name();
        Dl4jLayout.Tensor w = Dl4jLayout.denseTransposed(p.get("W"));
        String weight = g.floats(name + ".weight", w.dims(), w.values());
        List<String> inputs = bias ? List.of(input, weight, g.floats(name + ".bias", new long[]{w.dims()[0]}, Dl4jLayout.vector(p.get("b"))))
                : List.of(input, weight);
        return g.node("Gemm", name, inputs, integer("transB", 1));
    }

    private static Map<String, INDArray> params(ComputationGraph net, String name) {
        Layer layer = net.getLayer(name);
        if (layer == null) throw new IllegalArgumentException("the DL4J network has no layer '" + name + "'");
        return layer.paramTable();
    }
}
