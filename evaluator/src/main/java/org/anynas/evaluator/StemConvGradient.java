package org.anynas.evaluator;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Weight and bias gradients of a stride-1 convolution over NCHW float maps, without the input gradient.
 * <p>
 * Each sample's input planes are copied into zero-padded rows of width {@code wp = W + 2·padW}, and its output
 * gradient into rows of the same width whose last {@code kw − 1} columns are zero. Then every kernel tap
 * {@code (i, j)} is one dot product between the output-gradient plane and the input plane shifted by
 * {@code i·wp + j}: both run over the same contiguous index, so the loops are plain element-wise multiply-adds
 * into short accumulator rows, which C2 vectorizes; the horizontal sums happen once at the end. Samples are
 * split across cores, each with its own accumulators.
 */
final class StemConvGradient {
    /** Accumulator row length: a multiple of every SIMD width, and short enough to keep all rows in L1/L2. */
    private static final int LANES = 32;

    private StemConvGradient() {
    }

    /** Shape of one stride-1 convolution: input N×C×H×W, K filters of kh×kw, padding ph/pw, output oh×ow. */
    record Geometry(int n, int c, int h, int w, int k, int kh, int kw, int ph, int pw) {
        Geometry {
            if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || kh < 1 || kw < 1 || ph < 0 || pw < 0) {
                throw new IllegalArgumentException("bad convolution geometry " + java.util.Arrays.asList(n, c, h, w, k, kh, kw, ph, pw));
            }
        }

        int oh() {
            return h + 2 * ph - kh + 1;
        }

        int ow() {
            return w + 2 * pw - kw + 1;
        }

        /** Row stride of the padded planes. */
        int wp() {
            return w + 2 * pw;
        }

        /** Length of a padded output-gradient plane, rounded up to whole accumulator rows. */
        int plane() {
            int l = oh() * wp();
            return (l + LANES - 1) / LANES * LANES;
        }

        /** Length of a padded input plane: the output plane plus the largest tap offset. */
        int inputPlane() {
            return plane() + (kh - 1) * wp() + kw - 1;
        }
    }

    /** The gradients as flat arrays: {@code weights} in [K][C][kh][kw] order, {@code bias} per filter. */
    record Result(float[] weights, float[] bias) {
    }

    /**
     * @param x  input, contiguous NCHW, first element at {@code xOff}
     * @param dy gradient of the loss with respect to the convolution's output, contiguous NCHW, at {@code dyOff}
     */
    static Result compute(Geometry g, FloatBuffer x, long xOff, FloatBuffer dy, long dyOff) {
        if (g.oh() < 1 || g.ow() < 1) throw new IllegalArgumentException("empty output for " + g);
        int parts = Math.max(1, Math.min(g.n(), Runtime.getRuntime().availableProcessors()));
        Result[] partial = new Result[parts];
        IntStream.range(0, parts).parallel().forEach(p -> {
            int from = (int) ((long) g.n() * p / parts);
            int to = (int) ((long) g.n() * (p + 1) / parts);
            partial[p] = samples(g, x, xOff, dy, dyOff, from, to);
        });
        float[] w = partial[0].weights();
        float[] b = partial[0].bias();
        for (int p = 1; p < parts; p++) {
            for (int i = 0; i < w.length; i++) w[i] += partial[p].weights()[i];
            for (int i = 0; i < b.length; i++) b[i] += partial[p].bias()[i];
        }
        return new Result(w, b);
    }

    private static Result samples(Geometry g, FloatBuffer x, long xOff, FloatBuffer dy, long dyOff, int from, int to) {
        int c = g.c();
        int k = g.k();
        int taps = g.kh() * g.kw();
        int wp = g.wp();
        int oh = g.oh();
        int ow = g.ow();
        int plane = g.plane();
        int inPlane = g.inputPlane();
        int[] offset = new int[taps];
        for (int i = 0; i < g.kh(); i++) for (int j = 0; j < g.kw(); j++) offset[i * g.kw() + j] = i * wp + j;
        // borders and tails are written once as zeros and never touched again
        float[] xp = new float[c * inPlane];
        float[] dyp = new float[k * plane];
        float[] acc = new float[k * c * taps * LANES];
        float[] accBias = new float[k * LANES];
        int hw = g.h() * g.w();
        int ohw = oh * ow;
        for (int s = from; s < to; s++) {
            for (int ch = 0; ch < c; ch++) {
                int src = (int) (xOff + (long) (s * c + ch) * hw);
                int dst = ch * inPlane + g.ph() * wp + g.pw();
                for (int r = 0; r < g.h(); r++) x.get(src + r * g.w(), xp, dst + r * wp, g.w());
            }
            for (int f = 0; f < k; f++) {
                int src = (int) (dyOff + (long) (s * k + f) * ohw);
                for (int r = 0; r < oh; r++) dy.get(src + r * ow, dyp, f * plane + r * wp, ow);
            }
            for (int q = 0; q < plane; q += LANES) {
                for (int f = 0; f < k; f++) {
                    int d = f * plane + q;
                    int ab = f * LANES;
                    for (int l = 0; l < LANES; l++) accBias[ab + l] += dyp[d + l];
                    for (int ch = 0; ch < c; ch++) {
                        int xb = ch * inPlane + q;
                        int a0 = (f * c + ch) * taps * LANES;
                        for (int t = 0; t < taps; t++) {
                            int xo = xb + offset[t];
                            int a = a0 + t * LANES;
                            for (int l = 0; l < LANES; l++) acc[a + l] += dyp[d + l] * xp[xo + l];
                        }
                    }
                }
            }
        }
        float[] weights = new float[k * c * taps];
        for (int i = 0; i < weights.length; i++) weights[i] = sum(acc, i * LANES);
        float[] bias = new float[k];
        for (int f = 0; f < k; f++) bias[f] = sum(accBias, f * LANES);
        return new Result(weights, bias);
    }

    private static float sum(float[] a, int from) {
        double s = 0;
        for (int l = 0; l < LANES; l++) s += a[from + l];
        return (float) s;
    }
}
