package org.anynas.data.folder;

/**
 * Antialiased bilinear resampling of one 8-bit plane, as Pillow's resize(BILINEAR) (and so torchvision's Resize
 * with antialias on PIL images): a triangle filter widened by the downscale factor, applied across then down.
 * Plain Java arithmetic, so the same bytes on every JVM and machine; Java2D's scaling loops are not promised to be,
 * and they convert grey through linear light.
 */
final class Resampler {
    private Resampler() {
    }

    /**
     * Resamples the region (x0, y0, sw, sh) of a plane {@code stride} wide to dw × dh.
     */
    static byte[] resize(byte[] src, int stride, int x0, int y0, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) {
            byte[] out = new byte[dw * dh];
            for (int y = 0; y < dh; y++) System.arraycopy(src, (y0 + y) * stride + x0, out, y * dw, dw);
            return out;
        }
        Weights across = Weights.of(sw, dw);
        Weights down = Weights.of(sh, dh);
        // across: sh rows of dw values
        double[] mid = new double[sh * dw];
        for (int y = 0; y < sh; y++) {
            int row = (y0 + y) * stride + x0;
            for (int x = 0; x < dw; x++) {
                int first = across.first[x];
                double[] w = across.weights[x];
                double sum = 0;
                for (int k = 0; k < w.length; k++) sum += w[k] * (src[row + first + k] & 0xff);
                mid[y * dw + x] = sum;
            }
        }
        byte[] out = new byte[dw * dh];
        for (int y = 0; y < dh; y++) {
            int first = down.first[y];
            double[] w = down.weights[y];
            for (int x = 0; x < dw; x++) {
                double sum = 0;
                for (int k = 0; k < w.length; k++) sum += w[k] * mid[(first + k) * dw + x];
                out[y * dw + x] = (byte) Math.max(0, Math.min(255, (int) Math.floor(sum + 0.5)));
            }
        }
        return out;
    }

    /** For each output sample, the first input sample it reads and the normalised weights from there. */
    private record Weights(int[] first, double[][] weights) {

        static Weights of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's radius is 1 input pixel, widened when shrinking
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support + 0.5));
                int hi = Math.min(in, (int) Math.floor(centre + support + 0.5));
                double[] w = new double[Math.max(1, hi - lo)];
                double total = 0;
                for (int k = 0; k < hi - lo; k++) {
                    double t = Math.abs((lo + k - centre + 0.5) / filterScale);
                    w[k] = t < 1 ? 1 - t : 0;
                    total += w[k];
                }
                if (total == 0) {
                    // cannot happen for in, out >= 1, but a lone nearest sample is the safe reading
                    lo = Math.min(in - 1, (int) centre);
                    w = new double[]{1};
                    total = 1;
                }
                for (int k = 0; k < w.length; k++) w[k] /= total;
                first[i] = lo;
                weights[i] = w;
            }
            return new Weights(first, weights);
        }
    }
}
