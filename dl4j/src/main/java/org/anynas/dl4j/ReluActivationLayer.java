package org.anynas.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;

/**
 * DL4J's activation layer for a plain ReLU, without its copies and libnd4j's {@code relu_bp}. DL4J's layer copies its
 * input in both passes and differentiates through a {@code std::function} call per element (on the plain reference
 * network: 9% of a training step's CPU samples, the copies 2% more). This one writes max(x, 0) into a new array
 * going forward and step(x) · ε going back, both vectorized libnd4j loops. The gradient is 0 where x ≤ 0, as DL4J's
 * (−0 where ε < 0, equal to +0 in every later sum and product; NaN where ε is infinite or NaN, where DL4J gives 0,
 * which only a diverged step produces). Only the runtime layer object changes: the configuration stays DL4J's, so
 * saved networks are stock.
 */
final class ReluActivationLayer extends ActivationLayer {
    private static final Field VERTEX_LAYER;

    static {
        try {
            VERTEX_LAYER = LayerVertex.class.getDeclaredField("layer");
            VERTEX_LAYER.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("DL4J's LayerVertex has no 'layer' field: " + e);
        }
    }

    private ReluActivationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Replaces DL4J's layer object for every activation layer of {@code net} that is a plain ReLU (no cap, threshold or
     * slope); call after {@code init()} and before training. Returns how many.
     */
    static int install(ComputationGraph net) {
        int n = 0;
        Layer[] layers = net.getLayers();
        for (GraphVertex v : net.getVertices()) {
            if (!(v instanceof LayerVertex vertex) || vertex.getLayer().getClass() != ActivationLayer.class) continue;
            Layer stock = vertex.getLayer();
            if (!(stock.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer conf)
                    || !isPlainRelu(conf)) continue;
            ReluActivationLayer ours = new ReluActivationLayer(stock.conf(), net.getConfiguration().getDataType());
            ours.setIndex(stock.getIndex());
            ours.setListeners(stock.getListeners());
            ours.setCacheMode(net.getConfiguration().getCacheMode());
            ours.setIterationCount(stock.getIterationCount());
            ours.setEpochCount(stock.getEpochCount());
            try {
                VERTEX_LAYER.set(vertex, ours);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < layers.length; i++) if (layers[i] == stock) layers[i] = ours; // getLayers() is the graph's own array
            n++;
        }
        return n;
    }

    /** What {@code Activation.RELU} gives; a set cap, threshold or slope (even 0: DL4J then runs LeakyReLU) stays DL4J's. */
    static boolean isPlainRelu(org.deeplearning4j.nn.conf.layers.ActivationLayer conf) {
        return conf.getActivationFn() instanceof ActivationReLU relu && relu.getClass() == ActivationReLU.class
                && relu.getMax() == null && relu.getThreshold() == null && relu.getNegativeSlope() == null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        Nd4j.getExecutioner().exec(new RectifiedLinear(input, out, 0.0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        Nd4j.getExecutioner().exec(new Step(input, grad, 0.0)); // 1 where x > 0, else 0
        grad.muli(epsilon);
        return new Pair<>(new DefaultGradient(), grad);
    }
}
