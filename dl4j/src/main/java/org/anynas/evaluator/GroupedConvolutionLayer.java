package org.anynas.evaluator;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The computation of a {@link GroupedConvolution}, on libnd4j's own {@code conv2d} and {@code conv2d_bp} ops, the
 * ones DL4J's ConvolutionLayer runs (oneDNN on the CPU backend for float; libnd4j's im2col and GEMM otherwise).
 * Those ops take no group count, so the g groups are covered by g/m calls, each a full convolution over m
 * consecutive groups ("a span") whose weights are block-diagonal: the m groups' own blocks, zeros elsewhere. The
 * zeros add exact zeros, so every output is the grouped convolution's; the weight gradient is read off the
 * diagonal blocks. m trades m-fold extra multiply-adds against g/m calls: oneDNN is fast on wide convolutions and
 * slow on narrow ones, so m is the fewest groups whose span is {@link #MIN_SPAN} input channels wide (all of them for
 * narrow layers, one per call for wide groups). Spans read and write channel-slice views of the input, output and
 * input gradient (no copies); NHWC runs as NHWC. Measured against libnd4j's im2col plus a batched (rank-3) matmul
 * over (sample, group), which libnd4j M2.1 runs in its generic loops rather than BLAS or oneDNN (≈ 5 GFLOP/s here),
 * this is 10–28× faster and costs no more than DL4J's full convolution of the same shape:
 * bench/results/grouped-conv-2026-12-06.md.
 */
public final class GroupedConvolutionLayer extends BaseLayer<GroupedConvolution> {
    /** Input channels a call should span at least (oneDNN's full convolution is efficient from about here). */
    static final int MIN_SPAN = 32;

    GroupedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Groups per call for a layer of {@code groups} groups of {@code perGroup} input channels: a divisor of groups. */
    static int groupsPerCall(int groups, int perGroup) {
        for (int m = 1; m < groups; m++) {
            if (groups % m == 0 && (long) m * perGroup >= MIN_SPAN) return m;
        }
        return groups;
    }

    /** Sizes of one layer: channels per group in and out, groups per call, calls. */
    private record Spans(int cg, int kg, int m, int calls) {
        static Spans of(GroupedConvolution c) {
            int g = c.getGroups();
            int cg = (int) c.getNIn() / g;
            int m = groupsPerCall(g, cg);
            return new Spans(cg, (int) c.getNOut() / g, m, g / m);
        }

        INDArrayIndex in(int call) {
            return NDArrayIndex.interval((long) call * m * cg, (long) (call + 1) * m * cg);
        }

        INDArrayIndex out(int call) {
            return NDArrayIndex.interval((long) call * m * kg, (long) (call + 1) * m * kg);
        }
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    private boolean channelsLast() {
        return layerConf().getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }

    /** Channel slice {@code idx} of a rank-4 activation in this layer's format (a view). */
    private INDArray channels(INDArray a, INDArrayIndex idx) {
        return channelsLast() ? a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), idx)
                : a.get(NDArrayIndex.all(), idx, NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** conv2d's integer arguments: kernel, stride, padding, dilation, explicit padding, data format, weights [oC, iC, kH, kW]. */
    private int[] convArgs() {
        GroupedConvolution c = layerConf();
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        return new int[]{k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, channelsLast() ? 1 : 0, 1};
    }

    private long[] outputShape(INDArray x) {
        if (x.rank() != 4) {
            throw new DL4JInvalidInputException("grouped convolution " + layerId() + " expects a rank-4 input, got "
                    + Arrays.toString(x.shape()));
        }
        GroupedConvolution c = layerConf();
        long ch = x.size(channelsLast() ? 3 : 1);
        if (ch != c.getNIn()) {
            throw new DL4JInvalidInputException("grouped convolution " + layerId() + " expects " + c.getNIn()
                    + " input channels, got " + Arrays.toString(x.shape()));
        }
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        long h = x.size(channelsLast() ? 1 : 2);
        long w = x.size(channelsLast() ? 2 : 3);
        long oh = (h + 2L * p[0] - k[0]) / s[0] + 1;
        long ow = (w + 2L * p[1] - k[1]) / s[1] + 1;
        return channelsLast() ? new long[]{x.size(0), oh, ow, c.getNOut()} : new long[]{x.size(0), c.getNOut(), oh, ow};
    }

    /**
     * The weights of every call, [calls, m·kg, m·cg, kH, kW], block-diagonal: call b's block j is group b·m + j's
     * [kg, cg, kH, kW]. With m = 1 this is a copy of the weights.
     */
    private INDArray spanWeights(Spans sp, INDArray w, LayerWorkspaceMgr mgr, ArrayType type) {
        long kh = w.size(2), kw = w.size(3);
        // a copy (small): ND4J M2.1's sub-views of a reshaped parameter view can come back without data
        INDArray grouped = mgr.dup(type, w, 'c').reshape('c', sp.calls(), sp.m(), sp.kg(), sp.cg(), kh, kw);
        if (sp.m() == 1) return grouped.reshape('c', sp.calls(), sp.kg(), sp.cg(), kh, kw);
        INDArray full = mgr.create(type, w.dataType(), new long[]{sp.calls(), sp.m(), sp.kg(), sp.m(), sp.cg(), kh, kw}, 'c');
        for (int j = 0; j < sp.m(); j++) {
            full.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.point(j))
                    .assign(grouped.get(NDArrayIndex.all(), NDArrayIndex.point(j)));
        }
        return full.reshape('c', sp.calls(), (long) sp.m() * sp.kg(), (long) sp.m() * sp.cg(), kh, kw);
    }

    private static INDArray call(INDArray perCall, int b) {
        return perCall.get(NDArrayIndex.point(b));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        Spans sp = Spans.of(layerConf());
        INDArray w = spanWeights(sp, getParamWithNoise(GroupedConvolutionParams.W, training, mgr), mgr, ArrayType.FF_WORKING_MEM);
        INDArray b = hasBias() ? getParamWithNoise(GroupedConvolutionParams.B, training, mgr).reshape(layerConf().getNOut()) : null;
        INDArray y = mgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), outputShape(input), 'c');
        int[] args = convArgs();
        for (int c = 0; c < sp.calls(); c++) {
            INDArray[] in = b == null ? new INDArray[]{channels(input, sp.in(c)), call(w, c)}
                    : new INDArray[]{channels(input, sp.in(c)), call(w, c), b.get(sp.out(c))};
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in).addOutputs(channels(y, sp.out(c)))
                    .addIntegerArguments(args).build());
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Spans sp = Spans.of(layerConf());
        INDArray wParam = getParamWithNoise(GroupedConvolutionParams.W, true, mgr);
        INDArray w = spanWeights(sp, wParam, mgr, ArrayType.BP_WORKING_MEM);
        INDArray dy = epsilon.ordering() == 'c' && !epsilon.isView() ? epsilon : epsilon.dup('c');
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray dwView = gradientViews.get(GroupedConvolutionParams.W);
        // each call's weight gradient (block-diagonal for m > 1), copied into the gradient view below (see spanWeights)
        INDArray dw = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'c');
        int[] args = convArgs();
        for (int c = 0; c < sp.calls(); c++) {
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(channels(input, sp.in(c)), call(w, c), channels(dy, sp.out(c)))
                    .addOutputs(channels(dx, sp.in(c)), call(dw, c)).addIntegerArguments(args).build());
        }
        if (sp.m() == 1) {
            dwView.assign(dw.reshape(dwView.shape()));
        } else {
            INDArray blocks = dw.reshape('c', sp.calls(), sp.m(), sp.kg(), sp.m(), sp.cg(), w.size(3), w.size(4));
            INDArray diagonal = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(),
                    new long[]{sp.calls(), sp.m(), sp.kg(), sp.cg(), w.size(3), w.size(4)}, 'c');
            for (int j = 0; j < sp.m(); j++) {
                diagonal.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(
                        blocks.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.point(j)));
            }
            dwView.assign(diagonal.reshape(dwView.shape()));
        }
        Gradient grad = new DefaultGradient();
        if (hasBias()) {
            INDArray db = gradientViews.get(GroupedConvolutionParams.B);
            db.assign(dy.sum(channelsLast() ? new int[]{0, 1, 2} : new int[]{0, 2, 3}).reshape(db.shape()));
            grad.setGradientFor(GroupedConvolutionParams.B, db);
        }
        grad.setGradientFor(GroupedConvolutionParams.W, dwView, 'c');
        weightNoiseParams.clear();
        return new Pair<>(grad, backpropDropOutIfPresent(dx));
    }
}
