package org.anynas.dl4j;

import org.anynas.trainer.TrainingRecipe;

import org.anynas.data.ImageSet;
import org.anynas.space.Shape;
import org.anynas.trainer.Augmentation;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An image set as two native arrays, built once: features [n, C·H·W] standardised per channel, labels one-hot
 * [n, classes]. Batches are gathered natively ({@link Nd4j#pullRows}), never copied example by example in Java.
 */
public final class Tensors {
    private final INDArray features;
    private final INDArray labels;
    private final int channels;
    private final int height;
    private final int width;

    private Tensors(INDArray features, INDArray labels, int channels, int height, int width) {
        this.features = features;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** Standardises with per-channel mean/std from {@code reference} (the training subset). */
    public static Tensors of(ImageSet set, float[][] meanStd) {
        int n = set.size();
        int c = set.shape().channels();
        int hw = set.shape().height() * set.shape().width();
        float[] x = new float[n * c * hw];
        byte[] px = new byte[c * hw];
        for (int img = 0; img < n; img++) { // image by image: the set may be memory-mapped
            set.copyImage(img, px, 0);
            int base = img * c * hw;
            for (int i = 0; i < px.length; i++) {
                int ch = i / hw;
                x[base + i] = ((px[i] & 0xff) / 255f - meanStd[0][ch]) / meanStd[1][ch];
            }
        }
        float[] y = new float[n * set.classes()];
        for (int i = 0; i < n; i++) y[i * set.classes() + set.label(i)] = 1f;
        return new Tensors(Nd4j.create(x, new long[]{n, (long) c * hw}, 'c'),
                Nd4j.create(y, new long[]{n, set.classes()}, 'c'), c, set.shape().height(), set.shape().width());
    }

    /** Per-channel mean and standard deviation of pixel values scaled to [0, 1] (std at least the recipe's floor). */
    public static float[][] meanStd(ImageSet set) {
        return meanStd(set, TrainingRecipe.STD_FLOOR);
    }

    /** Per-channel mean and standard deviation of pixel values scaled to [0, 1], the std at least {@code stdFloor}. */
    public static float[][] meanStd(ImageSet set, double stdFloor) {
        int c = set.shape().channels();
        int hw = set.shape().height() * set.shape().width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        byte[] px = new byte[c * hw];
        for (int img = 0; img < set.size(); img++) {
            set.copyImage(img, px, 0);
            for (int i = 0; i < px.length; i++) {
                double v = (px[i] & 0xff) / 255.0;
                int ch = i / hw;
                sum[ch] += v;
                sq[ch] += v * v;
            }
        }
        float[][] out = new float[2][c];
        double count = (double) set.size() * hw;
        for (int ch = 0; ch < c; ch++) {
            double mean = sum[ch] / count;
            out[0][ch] = (float) mean;
            out[1][ch] = (float) Math.max(stdFloor, Math.sqrt(Math.max(0, sq[ch] / count - mean * mean)));
        }
        return out;
    }

    public long classes() {
        return labels.size(1);
    }

    public int size() {
        return (int) features.size(0);
    }

    /** Rows {@code idx} as an NCHW batch and their labels. */
    public INDArray[] batch(int[] idx) {
        INDArray x = Nd4j.pullRows(features, 1, idx).reshape('c', idx.length, channels, height, width);
        INDArray y = Nd4j.pullRows(labels, 1, idx);
        return new INDArray[]{x, y};
    }

    /** A contiguous range as an NCHW batch (views, no copy). */
    public INDArray[] range(int from, int to) {
        INDArray x = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).reshape('c', to - from, channels, height, width);
        INDArray y = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        return new INDArray[]{x, y};
    }

    /** An NCHW batch as NHWC (a copy), for networks built with {@link GraphTranslator#channelsLast()}. */
    public static INDArray channelsLast(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c');
    }

    public DataType dataType() {
        return features.dataType();
    }

    /** {@link Augmentation#apply} as an NCHW batch and one-hot labels. */
    public static INDArray[] augmented(Augmentation a, ImageSet set, float[][] meanStd, int[] idx, SplittableRandom random) {
        float[][] xy = a.apply(set, meanStd, idx, random);
        Shape s = set.shape();
        return new INDArray[]{Nd4j.create(xy[0], new long[]{idx.length, s.channels(), s.height(), s.width()}, 'c'),
                Nd4j.create(xy[1], new long[]{idx.length, set.classes()}, 'c')};
    }
}
