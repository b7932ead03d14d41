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
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The computation of a {@link GroupedConvolution}: im2col into a buffer laid out group-major,
 * [g][C/g·kH·kW][N·oH·oW], so each group's columns are one contiguous matrix, then one batched matrix product
 * over the groups, W_g [nOut/g, C/g·kH·kW] × cols_g, into a channel-major output [nOut][N·oH·oW] that is copied once
 * into the layer's format. Backward: dW_g = dY_g × cols_gᵀ, db = Σ dY, dcols_g = W_gᵀ × dY_g (into the same
 * buffer), col2im. libnd4j's batched matmul takes the [g, …] arrays whole: a loop of per-group GEMMs on slice()
 * views was slower for g ≥ 4 (measured 11–22 against 69–148 ms at g = 16, N = 64, C = 64, 16×16), and ND4J M2.1's
 * slice() of a reshaped parameter view past the first slices returns an empty array. Nothing loops over samples
 * or splits the network into g branches.
 * The columns are recomputed in backprop rather than kept, so no working array outlives its pass.
 */
final class GroupedConvolutionLayer extends BaseLayer<GroupedConvolution> {

    GroupedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Sizes of one pass, from the input and the configuration. */
    private record Geometry(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int ph, int pw, int groups,
                            int oh, int ow) {
        int cg() {
            return c / groups;
        }

        int kg() {
            return k / groups;
        }

        /** Rows of one group's column matrix. */
        long taps() {
            return (long) cg() * kh * kw;
        }

        long positions() {
            return (long) n * oh * ow;
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

    /** The input as a logical [N, C, H, W] array (a permuted view for NHWC). */
    private INDArray nchwInput() {
        if (input.rank() != 4) {
            throw new DL4JInvalidInputException("grouped convolution " + layerId() + " expects a rank-4 input, got "
                    + Arrays.toString(input.shape()));
        }
        return channelsLast() ? input.permute(0, 3, 1, 2) : input;
    }

    private Geometry geometry(INDArray x) {
        GroupedConvolution c = layerConf();
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        int n = (int) x.size(0);
        int ch = (int) x.size(1);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        if (ch != c.getNIn()) {
            throw new DL4JInvalidInputException("grouped convolution " + layerId() + " expects " + c.getNIn()
                    + " input channels, got " + Arrays.toString(input.shape()));
        }
        int oh = (h + 2 * p[0] - k[0]) / s[0] + 1;
        int ow = (w + 2 * p[1] - k[1]) / s[1] + 1;
        return new Geometry(n, ch, h, w, (int) c.getNOut(), k[0], k[1], s[0], s[1], p[0], p[1], c.getGroups(), oh, ow);
    }

    /** Columns [g, C/g·kH·kW, N·oH·oW] of the input, c order. */
    private INDArray columns(Geometry g, INDArray x, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray cols = mgr.createUninitialized(type, x.dataType(), new long[]{g.c(), g.kh(), g.kw(), g.n(), g.oh(), g.ow()}, 'c');
        // im2col writes [N, C, kH, kW, oH, oW]; a permuted view puts that in our order
        Convolution.im2col(x, g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), 1, 1, false, cols.permute(3, 0, 1, 2, 4, 5));
        return cols.reshape('c', g.groups(), g.taps(), g.positions());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray x = nchwInput();
        Geometry g = geometry(x);
        INDArray w = getParamWithNoise(GroupedConvolutionParams.W, training, mgr)
                .reshape('c', g.groups(), g.kg(), g.taps());
        INDArray cols = columns(g, x, mgr, ArrayType.FF_WORKING_MEM);
        INDArray y = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, x.dataType(), new long[]{g.groups(), g.kg(), g.positions()}, 'c');
        Nd4j.matmul(w, cols, y, false, false, false);
        INDArray y2 = y.reshape('c', g.k(), g.positions());
        if (hasBias()) {
            y2.addiColumnVector(getParamWithNoise(GroupedConvolutionParams.B, training, mgr).reshape(g.k(), 1));
        }
        INDArray y4 = y2.reshape('c', g.k(), g.n(), g.oh(), g.ow());
        long[] shape = channelsLast() ? new long[]{g.n(), g.oh(), g.ow(), g.k()} : new long[]{g.n(), g.k(), g.oh(), g.ow()};
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), shape, 'c');
        out.assign(channelsLast() ? y4.permute(1, 2, 3, 0) : y4.permute(1, 0, 2, 3));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray x = nchwInput();
        Geometry g = geometry(x);
        INDArray w = getParamWithNoise(GroupedConvolutionParams.W, true, mgr).reshape('c', g.groups(), g.kg(), g.taps());
        // dY channel-major: [nOut, N, oH, oW] = [g, nOut/g, N·oH·oW]
        INDArray dy4 = channelsLast() ? epsilon.permute(3, 0, 1, 2) : epsilon.permute(1, 0, 2, 3);
        INDArray dy = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(), new long[]{g.k(), g.n(), g.oh(), g.ow()}, 'c');
        dy.assign(dy4);
        INDArray dy3 = dy.reshape('c', g.groups(), g.kg(), g.positions());

        INDArray cols = columns(g, x, mgr, ArrayType.BP_WORKING_MEM);
        INDArray dw = gradientViews.get(GroupedConvolutionParams.W).reshape('c', g.groups(), g.kg(), g.taps());
        Nd4j.matmul(dy3, cols, dw, false, true, false);
        Gradient grad = new DefaultGradient();
        if (hasBias()) {
            INDArray db = gradientViews.get(GroupedConvolutionParams.B);
            db.assign(dy.reshape('c', g.k(), g.positions()).sum(1).reshape(db.shape()));
            grad.setGradientFor(GroupedConvolutionParams.B, db);
        }
        grad.setGradientFor(GroupedConvolutionParams.W, gradientViews.get(GroupedConvolutionParams.W), 'c');

        // column gradients overwrite the columns, which are no longer needed
        Nd4j.matmul(w, dy3, cols, true, false, false);
        INDArray dcols = cols.reshape('c', g.c(), g.kh(), g.kw(), g.n(), g.oh(), g.ow()).permute(3, 0, 1, 2, 4, 5);
        long[] shape = channelsLast() ? new long[]{g.n(), g.h(), g.w(), g.c()} : new long[]{g.n(), g.c(), g.h(), g.w()};
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), shape, 'c');
        INDArray dxNchw = channelsLast() ? dx.permute(0, 3, 1, 2) : dx;
        Convolution.col2im(dcols, dxNchw, g.sh(), g.sw(), g.ph(), g.pw(), g.h(), g.w(), 1, 1);
        weightNoiseParams.clear();
        return new Pair<>(grad, backpropDropOutIfPresent(dx));
    }
}
