package org.anynas.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Backward pass of a convolution that reads the network's input (the stem): only the weight and bias gradients.
 * libnd4j's {@code conv2d_bp} also computes the input gradient, which nothing uses there, and runs both
 * gradients through oneDNN's Winograd kernel, about 5 ms each for one input channel at 28×28, batch 128,
 * against 0.33 ms for the forward pass. {@link StemConvGradient} computes the two that matter directly.
 * The forward pass, inference, NHWC, strides other than 1 and other types go to the helper DL4J chose.
 * Networks that carry it give no gradient for their input ({@code calculateGradients} returns null there);
 * saved networks do not carry it.
 */
final class StemConvolution implements ConvolutionHelper {
    static final LayerHelperSlot<ConvolutionHelper> SLOT = LayerHelperSlot.of(ConvolutionLayer.class, ConvolutionHelper.class);

    private final ConvolutionHelper fallback;

    private StemConvolution(ConvolutionHelper fallback) {
        this.fallback = fallback;
    }

    /**
     * Puts this helper in front of the oneDNN helper of every plain convolution whose only input is a network
     * input that feeds nothing else (so no other layer adds to that input's gradient); returns how many.
     */
    static int install(ComputationGraph net) {
        if (!CpuBackend.isCpu()) return 0;
        int n = 0;
        for (GraphVertex v : net.getVertices()) {
            if (!v.hasLayer() || v.getLayer().getClass() != ConvolutionLayer.class) continue;
            ConvolutionLayer conv = (ConvolutionLayer) v.getLayer();
            if (!readsOnlyAnInput(net, v) || conv.conf().getLayer().getIDropout() != null) continue;
            if (SLOT.wrap(conv, StemConvolution.class, StemConvolution::new)) n++;
        }
        return n;
    }

    private static boolean readsOnlyAnInput(ComputationGraph net, GraphVertex v) {
        VertexIndices[] in = v.getInputVertices();
        if (in == null || in.length != 1) return false;
        GraphVertex source = net.getVertices()[in[0].getVertexIndex()];
        return source.isInputVertex() && source.getNumOutputConnections() == 1;
    }

    /** The helper DL4J chose, which serves everything this one does not. */
    ConvolutionHelper fallback() {
        return fallback;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn,
                                                     org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                                                     org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
                                                     org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        StemConvGradient.Geometry g = geometry(input, weights, delta, strides, pad, dilation, convolutionMode, format);
        if (g == null) {
            // DL4J hands a non-oneDNN helper a dummy bias gradient when there is no bias; oneDNN's expects null
            return fallback.backpropGradient(input, weights, bias, delta, kernel, strides, pad, bias == null ? null : biasGradView,
                    weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format, workspaceMgr);
        }
        Gradient grad = new DefaultGradient();
        StemConvGradient.compute(g, input, delta, weightGradView, bias == null ? null : biasGradView);
        if (bias != null) grad.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        grad.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        // no input gradient: this layer reads a network input (ComputationGraph accepts null epsilons)
        return new Pair<>(grad, null);
    }

    /** The geometry when this helper computes the gradient, null when the fallback does. */
    private static StemConvGradient.Geometry geometry(INDArray x, INDArray w, INDArray dy, int[] strides, int[] pad,
                                                      int[] dilation, ConvolutionMode mode, CNN2DFormat format) {
        if (format != CNN2DFormat.NCHW || mode == ConvolutionMode.Same || mode == ConvolutionMode.Causal) return null;
        if (x.dataType() != DataType.FLOAT || dy.dataType() != DataType.FLOAT || x.rank() != 4 || w.rank() != 4 || dy.rank() != 4) {
            return null;
        }
        if (strides[0] != 1 || strides[1] != 1 || dilation[0] != 1 || dilation[1] != 1) return null;
        var g = new StemConvGradient.Geometry((int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3),
                (int) w.size(0), (int) w.size(2), (int) w.size(3), pad[0], pad[1]);
        boolean matches = w.size(1) == g.c() && dy.size(0) == g.n() && dy.size(1) == g.k()
                && dy.size(2) == g.oh() && dy.size(3) == g.ow();
        return matches ? g : null;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                              org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo fwdAlgo,
                              ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        return fallback.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode, dilation, format, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return fallback.activate(z, afn, training);
    }

    @Override
    public boolean checkSupported() {
        return fallback.checkSupported();
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return fallback.helperMemoryUse();
    }
}
