package org.anynas.evaluator;

import org.anynas.space.UserInputException;
import org.anynas.evaluator.data.ImageSet;
import org.anynas.space.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Training-time augmentation for final training: a random crop of the zero-padded image (the CIFAR recipe)
 * and an optional horizontal flip. Applied while a batch is standardised from the raw bytes, so it costs one
 * pass over the batch and no extra copy of the dataset.
 *
 * @param padding pixels of black border added on each side before cropping back to the input size (0 = no crop)
 * @param flip    mirror left-right with probability 1/2 (right for clothing and natural images, not for digits)
 */
public record Augmentation(int padding, boolean flip) {

    public Augmentation {
        if (padding < 0) throw new UserInputException("augmentation padding must be >= 0, got " + padding);
    }

    public static Augmentation none() {
        return new Augmentation(0, false);
    }

    /** Padding of one eighth of the image side (4 px for 28×28 and 32×32), as in the usual CIFAR recipe. */
    public static Augmentation cropAndFlip(Shape input, boolean flip) {
        return new Augmentation(Math.max(1, Math.round(Math.min(input.height(), input.width()) / 8f)), flip);
    }

    public boolean active() {
        return padding > 0 || flip;
    }

    public String oneLine() {
        if (!active()) return "none";
        String crop = padding > 0 ? "random crop (pad " + padding + ")" : "";
        return crop + (flip ? (crop.isEmpty() ? "" : " + ") + "horizontal flip" : "");
    }

    /** Examples {@code idx} of {@code set}, augmented and standardised with {@code meanStd}, as an NCHW batch and one-hot labels. */
    public INDArray[] batch(ImageSet set, float[][] meanStd, int[] idx, SplittableRandom random) {
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
            y[i * set.classes() + set.label(idx[i])] = 1f;
        }
        return new INDArray[]{Nd4j.create(x, new long[]{idx.length, c, h, w}, 'c'),
                Nd4j.create(y, new long[]{idx.length, set.classes()}, 'c')};
    }
}
