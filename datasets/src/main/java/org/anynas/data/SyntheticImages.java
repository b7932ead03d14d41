package org.anynas.data;

import org.anynas.space.Shape;

import java.util.SplittableRandom;

/**
 * A small learnable dataset for fast tests: 1×16×16 images of noise with a bright 4×4 square whose quadrant
 * is the class (4 classes), jittered by up to 3 pixels.
 */
public final class SyntheticImages {
    public static final Shape SHAPE = Shape.of(1, 16, 16);
    public static final int CLASSES = 4;

    private SyntheticImages() {
    }

    public static ImageSet generate(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int per = (int) SHAPE.elements();
        byte[] pixels = new byte[n * per];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            labels[i] = (byte) label;
            int base = i * per;
            for (int p = 0; p < per; p++) pixels[base + p] = (byte) random.nextInt(96);
            int top = (label / 2) * 8 + random.nextInt(4);
            int left = (label % 2) * 8 + random.nextInt(4);
            for (int y = top; y < top + 4; y++) {
                for (int x = left; x < left + 4; x++) pixels[base + y * 16 + x] = (byte) (160 + random.nextInt(96));
            }
        }
        return new ImageSet("synthetic", SHAPE, CLASSES, pixels, labels);
    }
}
