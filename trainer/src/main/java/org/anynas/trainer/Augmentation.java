package org.anynas.trainer;

import org.anynas.space.UserInputException;
import org.anynas.data.ImageSet;
import org.anynas.space.Shape;

import java.util.SplittableRandom;

/**
 * Training-time augmentation for final training: a random crop of the zero-padded image (the CIFAR recipe), an
 * optional horizontal flip, and random erasing (Zhong et al. 2020, as torchvision's RandomErasing with its defaults).
 * Applied while a batch is standardised from the raw bytes, so it costs one pass over the batch and no extra copy of
 * the dataset.
 *
 * <p>The rule per image, in this order (the PyTorch worker's training.augment and training.erase follow the same rule
 * with torch's generator, so the draws are equally distributed, not the same numbers): shift (dy, dx) uniform in
 * [−padding, padding]², mirror with p = 1/2; after standardisation, with probability {@code erasing} try up to 10
 * rectangles of area ∈ U{@link #ERASE_SCALE}·h·w and log aspect ratio ∈ U(log {@link #ERASE_RATIO}), of height
 * round(√(area·ratio)) and width round(√(area/ratio)); the first that fits strictly inside the image is placed uniformly
 * and set to 0 in every channel (the standardised mean, torchvision's value=0 after Normalize); none fits: no erasing.
 *
 * @param padding pixels of black border added on each side before cropping back to the input size (0 = no crop)
 * @param flip    mirror left-right with probability 1/2 (right for clothing and natural images, not for digits)
 * @param erasing probability that an image gets a random rectangle erased (0 = never)
 */
public record Augmentation(int padding, boolean flip, double erasing) {
    /** torchvision RandomErasing's defaults: area fraction and aspect-ratio range of the erased rectangle. */
    public static final double[] ERASE_SCALE = {0.02, 0.33};
    public static final double[] ERASE_RATIO = {0.3, 3.3};
    static final int ERASE_ATTEMPTS = 10;

    public Augmentation {
        if (padding < 0) throw new UserInputException("augmentation padding must be >= 0, got " + padding);
        if (!(erasing >= 0 && erasing <= 1)) throw new UserInputException("random erasing probability must be in 0..1, got " + erasing);
    }

    public Augmentation(int padding, boolean flip) {
        this(padding, flip, 0);
    }

    public static Augmentation none() {
        return new Augmentation(0, false, 0);
    }

    /** Padding of one eighth of the image side (4 px for 28×28 and 32×32), as in the usual CIFAR recipe. */
    public static Augmentation cropAndFlip(Shape input, boolean flip) {
        return new Augmentation(Math.max(1, Math.round(Math.min(input.height(), input.width()) / 8f)), flip);
    }

    /** This augmentation with random erasing at probability {@code p}. */
    public Augmentation withErasing(double p) {
        return new Augmentation(padding, flip, p);
    }

    public boolean active() {
        return padding > 0 || flip || erasing > 0;
    }

    public String oneLine() {
        if (!active()) return "none";
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (padding > 0) parts.add("random crop (pad " + padding + ")");
        if (flip) parts.add("horizontal flip");
        if (erasing > 0) parts.add(String.format(java.util.Locale.ROOT, "random erasing (p %s)", erasing));
        return String.join(" + ", parts);
    }

    /**
     * Examples {@code idx} of {@code set}, augmented and standardised with {@code meanStd}: {pixels in NCHW order, one-hot
     * labels}, which a trainer wraps in its own tensors.
     */
    public float[][] apply(ImageSet set, float[][] meanStd, int[] idx, SplittableRandom random) {
        Shape s = set.shape();
        int c = s.channels();
        int h = s.height();
        int w = s.width();
        int per = c * h * w;
        byte[] px = new byte[per];
        float[] x = new float[idx.length * per];
        float[] y = new float[idx.length * set.classes()];
        for (int i = 0; i < idx.length; i++) {
            int dy = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
            boolean mirror = flip && random.nextBoolean();
            set.copyImage(idx[i], px, 0);
            int src = 0;
            for (int ch = 0; ch < c; ch++) {
                float mean = meanStd[0][ch];
                float std = meanStd[1][ch];
                float border = -mean / std; // a black pixel, standardised
                for (int row = 0; row < h; row++) {
                    int sr = row + dy;
                    int out = i * per + (ch * h + row) * w;
                    for (int col = 0; col < w; col++) {
                        int sc = (mirror ? w - 1 - col : col) + dx;
                        x[out + col] = sr < 0 || sr >= h || sc < 0 || sc >= w ? border
                                : ((px[src + (ch * h + sr) * w + sc] & 0xff) / 255f - mean) / std;
                    }
                }
            }
            if (erasing > 0 && random.nextDouble() < erasing) erase(x, i * per, c, h, w, random);
            y[i * set.classes() + set.label(idx[i])] = 1f;
        }
        return new float[][]{x, y};
    }

    /** Random erasing of one standardised image at {@code x[offset]} (the rule in the class comment). */
    static void erase(float[] x, int offset, int c, int h, int w, SplittableRandom random) {
        double logLow = Math.log(ERASE_RATIO[0]);
        double logHigh = Math.log(ERASE_RATIO[1]);
        for (int attempt = 0; attempt < ERASE_ATTEMPTS; attempt++) {
            double area = h * w * (ERASE_SCALE[0] + (ERASE_SCALE[1] - ERASE_SCALE[0]) * random.nextDouble());
            double ratio = Math.exp(logLow + (logHigh - logLow) * random.nextDouble());
            int eh = (int) Math.round(Math.sqrt(area * ratio));
            int ew = (int) Math.round(Math.sqrt(area / ratio));
            if (eh >= h || ew >= w) continue;
            int top = random.nextInt(h - eh + 1);
            int left = random.nextInt(w - ew + 1);
            for (int ch = 0; ch < c; ch++) {
                for (int row = top; row < top + eh; row++) {
                    int from = offset + (ch * h + row) * w + left;
                    java.util.Arrays.fill(x, from, from + ew, 0f);
                }
            }
            return;
        }
    }
}
