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
 * The computation of a {@link GroupedConvolution}. libnd4j's im2col writes the input's columns as
 * [N, C, kH, kW, oH, oW], which is [N, g, C/g·kH·kW, oH·oW]: sample n's group i is one contiguous matrix. One batched
 * matrix product over (n, i), W_i [nOut/g, C/g·kH·kW] × cols_{n,i}, with the weights repeated over the batch, then
 * writes [N, g, nOut/g, oH·oW], which is the NCHW output itself. Backward: dW_i = Σ_n dY_{n,i} × cols_{n,i}ᵀ,
 * db = Σ dY, dcols_{n,i} = W_iᵀ × dY_{n,i} (into the columns' buffer), then col2im. Nothing loops over samples or
 * groups in Java, and nothing splits the network into g branches. Measured against alternatives (N = 64, C = 64,
 * 16×16, 3×3, 2 loaded cores): im2col into a group-major permuted view took 550–650 ms against 52 ms for its own
 * layout, and ND4J M2.1's slice() of a reshaped parameter view returns empty arrays past the first slices, so
 * per-group GEMMs on slices are out. The columns are recomputed in backprop rather than kept, so no working array
 * outlives its pass.
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

    /** Columns [N, g, C/g·kH·kW, oH·oW] of the input (libnd4j's own im2col layout, c order). */
    private INDArray columns(Geometry g, INDArray x, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray cols = mgr.createUninitialized(type, x.dataType(), new long[]{g.n(), g.c(), g.kh(), g.kw(), g.oh(), g.ow()}, 'c');
        Convolution.im2col(x, g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), 1, 1, false, cols);
        return cols.reshape('c', g.n(), g.groups(), g.taps(), (long) g.oh() * g.ow());
    }

    /** The weights [g, nOut/g, C/g·kH·kW] repeated for every sample: [N, g, nOut/g, C/g·kH·kW] (small). */
    private INDArray weightsPerSample(Geometry g, boolean training, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray w = getParamWithNoise(GroupedConvolutionParams.W, training, mgr);
        INDArray wb = mgr.createUninitialized(type, w.dataType(), new long[]{g.n(), g.groups(), g.kg(), g.taps()}, 'c');
        wb.assign(w.reshape('c', 1, g.groups(), g.kg(), g.taps()).broadcast(g.n(), g.groups(), g.kg(), g.taps()));
        return wb;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray x = nchwInput();
        Geometry g = geometry(x);
        INDArray w = weightsPerSample(g, training, mgr, ArrayType.FF_WORKING_MEM);
        INDArray cols = columns(g, x, mgr, ArrayType.FF_WORKING_MEM);
        long[] nchw = {g.n(), g.k(), g.oh(), g.ow()};
        INDArray y = mgr.createUninitialized(channelsLast() ? ArrayType.FF_WORKING_MEM : ArrayType.ACTIVATIONS,
                x.dataType(), nchw, 'c');
        Nd4j.matmul(w, cols, y.reshape('c', g.n(), g.groups(), g.kg(), (long) g.oh() * g.ow()), false, false, false);
        if (hasBias()) {
            INDArray b = getParamWithNoise(GroupedConvolutionParams.B, training, mgr);
            INDArray y3 = y.reshape('c', g.n(), g.k(), (long) g.oh() * g.ow());
            org.nd4j.linalg.factory.Broadcast.add(y3, b.reshape(g.k()), y3, 1);
        }
        if (!channelsLast()) return y;
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), new long[]{g.n(), g.oh(), g.ow(), g.k()}, 'c');
        out.assign(y.permute(0, 2, 3, 1));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray x = nchwInput();
        Geometry g = geometry(x);
        long positions = (long) g.oh() * g.ow();
        // dY as [N, g, nOut/g, oH·oW] (NCHW, c order)
        INDArray dy = epsilon;
        if (channelsLast() || epsilon.ordering() != 'c' || epsilon.isView()) {
            dy = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(), new long[]{g.n(), g.k(), g.oh(), g.ow()}, 'c');
            dy.assign(channelsLast() ? epsilon.permute(0, 3, 1, 2) : epsilon);
        }
        INDArray dy4 = dy.reshape('c', g.n(), g.groups(), g.kg(), positions);

        INDArray cols = columns(g, x, mgr, ArrayType.BP_WORKING_MEM);
        INDArray dwPerSample = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(),
                new long[]{g.n(), g.groups(), g.kg(), g.taps()}, 'c');
        Nd4j.matmul(dy4, cols, dwPerSample, false, true, false);
        INDArray dw = gradientViews.get(GroupedConvolutionParams.W);
        dw.assign(dwPerSample.sum(0).reshape(dw.shape()));
        Gradient grad = new DefaultGradient();
        if (hasBias()) {
            INDArray db = gradientViews.get(GroupedConvolutionParams.B);
            db.assign(dy.reshape('c', g.n(), g.k(), positions).sum(0, 2).reshape(db.shape()));
            grad.setGradientFor(GroupedConvolutionParams.B, db);
        }
        grad.setGradientFor(GroupedConvolutionParams.W, dw, 'c');

        // column gradients overwrite the columns, which are no longer needed
        Nd4j.matmul(weightsPerSample(g, true, mgr, ArrayType.BP_WORKING_MEM), dy4, cols, true, false, false);
        INDArray dcols = cols.reshape('c', g.n(), g.c(), g.kh(), g.kw(), g.oh(), g.ow());
        INDArray dx = mgr.createUninitialized(channelsLast() ? ArrayType.BP_WORKING_MEM : ArrayType.ACTIVATION_GRAD,
                epsilon.dataType(), new long[]{g.n(), g.c(), g.h(), g.w()}, 'c');
        Convolution.col2im(dcols, dx, g.sh(), g.sw(), g.ph(), g.pw(), g.h(), g.w(), 1, 1);
        if (channelsLast()) {
            INDArray nhwc = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), new long[]{g.n(), g.h(), g.w(), g.c()}, 'c');
            nhwc.assign(dx.permute(0, 2, 3, 1));
            dx = nhwc;
        }
        weightNoiseParams.clear();
        return new Pair<>(grad, backpropDropOutIfPresent(dx));
    }
}
