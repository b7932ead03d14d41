package org.anynas.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Batch normalization of NCHW float feature maps while training, computed per channel over the contiguous
 * H×W rows. DL4J M2.1's oneDNN helper takes its batch statistics with generic strided reductions and its
 * gradient from libnd4j's {@code batchnorm_bp}; together they were 40% of a training step on the reference
 * networks, about 5× slower than these two-pass loops. Everything else (inference, NHWC, other types) goes
 * to the helper DL4J chose.
 */
final class ChannelsFirstBatchNorm implements BatchNormalizationHelper {
    static final LayerHelperSlot<BatchNormalizationHelper> SLOT =
            LayerHelperSlot.of(BatchNormalization.class, BatchNormalizationHelper.class);

    private final BatchNormalizationHelper fallback;
    private float[] batchMean = new float[0];
    private float[] batchInvStd = new float[0];
    private INDArray meanCache;
    private INDArray varCache;
    private boolean lastForwardHere; // the backward pass and the running statistics follow the forward pass that ran

    private ChannelsFirstBatchNorm(BatchNormalizationHelper fallback) {
        this.fallback = fallback;
    }

    /** Puts this helper in front of the oneDNN helper of every batch-norm layer of {@code net}; returns how many. */
    static int install(ComputationGraph net) {
        if (!CpuBackend.isCpu()) return 0; // these kernels read host memory; on CUDA the cuDNN path stays
        int n = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization bn && SLOT.wrap(bn, ChannelsFirstBatchNorm.class, ChannelsFirstBatchNorm::new)) n++;
        }
        return n;
    }

    /** The helper DL4J chose, which serves everything these kernels do not. */
    BatchNormalizationHelper fallback() {
        return fallback;
    }

    private static boolean handles(INDArray x, CNN2DFormat format) {
        // NIO buffers index with int: larger maps (8 GB and up) stay on DL4J's path
        return x.rank() == 4 && format == CNN2DFormat.NCHW && x.dataType() == DataType.FLOAT
                && x.offset() + x.length() < Integer.MAX_VALUE;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!training || gamma == null || !handles(x, format)) {
            if (training) lastForwardHere = false;
            return fallback.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        INDArray in = contiguous(x);
        int n = (int) in.size(0);
        int c = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        if (batchMean.length != c) {
            batchMean = new float[c];
            batchInvStd = new float[c];
        }
        float[] g = gamma.toFloatVector();
        float[] b = beta.toFloatVector();
        float[] variance = new float[c];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape(), 'c');
        FloatBuffer src = in.data().asNioFloat();
        FloatBuffer dst = out.data().asNioFloat();
        long srcOff = in.offset();
        long dstOff = out.offset();
        IntStream.range(0, c).parallel().forEach(ch -> {
            float[] row = new float[hw];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                src.get((int) (srcOff + (long) (i * c + ch) * hw), row, 0, hw);
                float s = 0;
                for (int k = 0; k < hw; k++) s += row[k];
                sum += s;
            }
            double count = (double) n * hw;
            float m = (float) (sum / count);
            double sq = 0; // second pass around the mean: no cancellation when |mean| >> std
            for (int i = 0; i < n; i++) {
                src.get((int) (srcOff + (long) (i * c + ch) * hw), row, 0, hw);
                float s = 0;
                for (int k = 0; k < hw; k++) {
                    float d = row[k] - m;
                    s += d * d;
                }
                sq += s;
            }
            float v = (float) (sq / count);
            float inv = (float) (1 / Math.sqrt(v + eps));
            batchMean[ch] = m;
            batchInvStd[ch] = inv;
            variance[ch] = v;
            float scale = g[ch] * inv;
            float shift = b[ch] - m * scale;
            for (int i = 0; i < n; i++) {
                int at = (int) (srcOff + (long) (i * c + ch) * hw);
                src.get(at, row, 0, hw);
                for (int k = 0; k < hw; k++) row[k] = row[k] * scale + shift;
                dst.put((int) (dstOff + (long) (i * c + ch) * hw), row, 0, hw);
            }
        });
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            meanCache = Nd4j.createFromArray(batchMean.clone());
            varCache = Nd4j.createFromArray(variance);
        }
        lastForwardHere = true;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma, INDArray beta,
                                                     INDArray dGammaView, INDArray dBetaView, double eps, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        if (!lastForwardHere || gamma == null || dGammaView == null || !handles(input, format)) {
            return fallback.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format, workspaceMgr);
        }
        INDArray x = contiguous(input);
        INDArray dy = contiguous(epsilon);
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int hw = (int) (x.size(2) * x.size(3));
        float[] g = gamma.toFloatVector();
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c');
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer es = dy.data().asNioFloat();
        FloatBuffer out = dx.data().asNioFloat();
        long xOff = x.offset();
        long eOff = dy.offset();
        long oOff = dx.offset();
        IntStream.range(0, c).parallel().forEach(ch -> {
            float[] xr = new float[hw];
            float[] er = new float[hw];
            float m = batchMean[ch];
            float inv = batchInvStd[ch];
            double sumDy = 0;
            double sumDyXmu = 0;
            for (int i = 0; i < n; i++) {
                long row = (long) (i * c + ch) * hw;
                xs.get((int) (xOff + row), xr, 0, hw);
                es.get((int) (eOff + row), er, 0, hw);
                float a = 0;
                float p = 0;
                for (int k = 0; k < hw; k++) {
                    a += er[k];
                    p += er[k] * (xr[k] - m);
                }
                sumDy += a;
                sumDyXmu += p;
            }
            double count = (double) n * hw;
            dBeta[ch] = (float) sumDy;
            dGamma[ch] = (float) (sumDyXmu * inv);
            // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy·x̂))
            float k1 = g[ch] * inv;
            float meanDy = (float) (sumDy / count);
            float k2 = (float) (sumDyXmu * inv * inv / count);
            for (int i = 0; i < n; i++) {
                long row = (long) (i * c + ch) * hw;
                xs.get((int) (xOff + row), xr, 0, hw);
                es.get((int) (eOff + row), er, 0, hw);
                for (int k = 0; k < hw; k++) er[k] = k1 * (er[k] - meanDy - (xr[k] - m) * k2);
                out.put((int) (oOff + row), er, 0, hw);
            }
        });
        dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
        dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        Gradient grad = new DefaultGradient();
        grad.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grad.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grad, dx);
    }

    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return lastForwardHere ? meanCache : fallback.getMeanCache(dataType);
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return lastForwardHere ? varCache : fallback.getVarCache(dataType);
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return fallback.checkSupported(eps, fixedGammaBeta);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return fallback.helperMemoryUse();
    }

    @Override
    public boolean checkSupported() {
        return fallback.checkSupported();
    }
}
