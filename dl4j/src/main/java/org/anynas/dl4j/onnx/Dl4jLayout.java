package org.anynas.dl4j.onnx;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J 1.0.0-M2.1's parameter layouts, turned into ONNX's (each checked by OnnxExportTest against ONNX Runtime):
 * <ul>
 *   <li>convolution {@code W}: [out, in, kH, kW], as ONNX; grouped convolution ({@code GroupedConvolution})
 *       [out, in/groups, kH, kW], as ONNX with group = groups;</li>
 *   <li>depthwise convolution {@code W}: [kH, kW, in, multiplier]; output channel c·multiplier + m;
 *       ONNX wants [in·multiplier, 1, kH, kW] with group = in;</li>
 *   <li>dense and output layer {@code W}: [in, out]; written transposed, [out, in], for Gemm with transB = 1
 *       (PyTorch's Linear layout);</li>
 *   <li>batch norm: gamma, beta, mean and log10(σ) of the running variance σ² (DL4J's default useLogStd); DL4J
 *       still adds ε at inference, (x − mean) / √(σ² + ε), so ONNX gets var = σ² and the same ε (tested with a
 *       channel of variance 1e-3, where σ² − ε or a missing ε is off by 2.7e-3).</li>
 * </ul>
 */
final class Dl4jLayout {
    private Dl4jLayout() {
    }

    /** A tensor in ONNX layout: shape and row-major values. */
    record Tensor(long[] dims, float[] values) {
        static Tensor of(long[] dims, float[] values) {
            return new Tensor(dims, values);
        }
    }

    static Tensor conv(INDArray w) {
        return Tensor.of(w.shape(), w.dup('c').data().asFloat());
    }

    static Tensor depthwise(INDArray w) {
        long kh = w.size(0);
        long kw = w.size(1);
        long in = w.size(2);
        long mult = w.size(3);
        float[] out = new float[(int) (kh * kw * in * mult)];
        for (int c = 0; c < in; c++) {
            for (int m = 0; m < mult; m++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        out[(int) ((((long) c * mult + m) * kh + y) * kw + x)] = w.getFloat(y, x, c, m);
                    }
                }
            }
        }
        return Tensor.of(new long[]{in * mult, 1, kh, kw}, out);
    }

    static Tensor denseTransposed(INDArray w) {
        return Tensor.of(new long[]{w.size(1), w.size(0)}, w.transpose().dup('c').data().asFloat());
    }

    static float[] vector(INDArray v) {
        return v.dup('c').data().asFloat();
    }

    /** ONNX's running variance from DL4J's log10(σ): σ², computed in double. */
    static float[] varianceFromLog10Std(INDArray log10Std) {
        float[] l = vector(log10Std);
        float[] var = new float[l.length];
        for (int i = 0; i < l.length; i++) var[i] = (float) Math.pow(10, 2.0 * l[i]);
        return var;
    }
}
