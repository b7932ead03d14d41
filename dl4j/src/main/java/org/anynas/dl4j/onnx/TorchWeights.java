package org.anynas.dl4j.onnx;

import org.anynas.dl4j.GraphTranslator;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A network trained by the PyTorch backend, moved into DL4J: the worker saves its parameters and BN statistics as
 * an {@code .npz} of float32 arrays named by op-graph node, exactly like model.onnx's initializers
 * ({@code s1b1_a_conv.weight}, {@code stem_bn.running_var}; see anynas_torch.training.node_arrays), and
 * {@code reference.probabilities}, its own softmax of the first test images. Each array goes into the DL4J
 * layer of the same name in the layout {@link Dl4jLayout} describes, shape-checked; an array left over or one
 * missing is an error, so a renamed node cannot pass silently.
 */
public final class TorchWeights {
    public static final String REFERENCE = "reference.probabilities";

    private final Map<String, INDArray> arrays;

    private TorchWeights(Map<String, INDArray> arrays) {
        this.arrays = arrays;
    }

    public static TorchWeights read(Path npz) {
        try {
            return new TorchWeights(Nd4j.createFromNpzFile(npz.toFile()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the PyTorch worker's arrays " + npz + ": " + e.getMessage(), e);
        }
    }

    /** PyTorch's softmax outputs for the first test images, [images, classes]. */
    public INDArray referenceProbabilities() {
        INDArray p = arrays.get(REFERENCE);
        if (p == null) throw new IllegalStateException("the worker's arrays hold no " + REFERENCE);
        return p;
    }

    /** A DL4J network of {@code graph} holding these weights (for inference: no updater). */
    public ComputationGraph network(OpGraph graph) {
        ComputationGraph net = new ComputationGraph(GraphTranslator.floats().configuration(graph, new NoOp(), 0, 0));
        net.init();
        return into(net, graph);
    }

    /**
     * Sets these weights and BN statistics into {@code net}, a DL4J network of {@code graph} built by GraphTranslator
     * with any updater (e.g. Dl4jRecipe's, to train on from PyTorch's initial weights); returns it.
     */
    public ComputationGraph into(ComputationGraph net, OpGraph graph) {
        Set<String> used = new HashSet<>(Set.of(REFERENCE));
        for (Node node : graph.nodes()) {
            String name = node.name();
            Op op = node.op();
            if (op instanceof Op.Conv c) {
                INDArray w = take(name + ".weight", used);
                // full and grouped convolutions hold PyTorch's layout [out, in/groups, kH, kW] in DL4J too
                boolean depthwise = c.depthwise(graph.shapeOf(node.inputs().get(0)).channels());
                set(net, name, "W", depthwise ? depthwise(w, c.groups()) : w);
                if (c.bias()) set(net, name, "b", take(name + ".bias", used));
            } else if (op instanceof Op.BatchNorm) {
                Layer layer = net.getLayer(name);
                set(net, name, "gamma", take(name + ".weight", used));
                set(net, name, "beta", take(name + ".bias", used));
                set(net, name, "mean", take(name + ".running_mean", used));
                INDArray var = take(name + ".running_var", used);
                // DL4J's default keeps log10(σ) of the running variance σ² (useLogStd); it adds ε at inference as PyTorch does
                boolean logStd = ((BatchNormalization) layer.conf().getLayer()).isUseLogStd();
                set(net, name, logStd ? "log10stdev" : "var", logStd ? Transforms.log(var, 10, true).muli(0.5) : var);
            } else if (op instanceof Op.Dense d) {
                dense(net, name, d.bias(), used);
            } else if (op instanceof Op.Classifier) {
                dense(net, name, true, used);
            }
        }
        Set<String> left = new HashSet<>(arrays.keySet());
        left.removeAll(used);
        if (!left.isEmpty()) throw new IllegalStateException("PyTorch arrays with no DL4J parameter: " + left);
        return net;
    }

    private void dense(ComputationGraph net, String name, boolean bias, Set<String> used) {
        set(net, name, "W", take(name + ".weight", used).transpose()); // PyTorch [out, in], DL4J [in, out]
        if (bias) set(net, name, "b", take(name + ".bias", used));
    }

    /** PyTorch's grouped weight [in·multiplier, 1, kH, kW] (output channel c·multiplier + m) as DL4J's [kH, kW, in, multiplier]. */
    private static INDArray depthwise(INDArray w, int in) {
        long mult = w.size(0) / in;
        return w.reshape('c', in, mult, w.size(2), w.size(3)).permute(2, 3, 0, 1);
    }

    private INDArray take(String key, Set<String> used) {
        INDArray a = arrays.get(key);
        if (a == null) throw new IllegalStateException("the PyTorch arrays have no " + key);
        used.add(key);
        return a;
    }

    private static void set(ComputationGraph net, String layer, String param, INDArray value) {
        Layer l = net.getLayer(layer);
        if (l == null) throw new IllegalStateException("the DL4J network has no layer '" + layer + "'");
        INDArray target = l.getParam(param);
        if (target == null) throw new IllegalStateException("DL4J layer '" + layer + "' has no parameter " + param);
        if (target.length() != value.length() || (target.rank() == value.rank() && !java.util.Arrays.equals(target.shape(), value.shape()))) {
            throw new IllegalStateException(layer + "." + param + ": DL4J has shape " + java.util.Arrays.toString(target.shape())
                    + ", PyTorch's array " + java.util.Arrays.toString(value.shape()));
        }
        target.assign(value.dup('c').reshape('c', target.shape()).castTo(target.dataType()));
    }
}
