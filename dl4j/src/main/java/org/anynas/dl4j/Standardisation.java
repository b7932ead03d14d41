package org.anynas.dl4j;

import org.anynas.trainer.TrainingRecipe;

import org.anynas.data.ImageSet;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The per-channel standardisation the networks are trained on: x = (pixel / 255 − mean[c]) / std[c], with mean
 * and std measured on the training images. Exported models apply it as their first operation, so users feed
 * plain pixels / 255.
 */
public record Standardisation(float[] mean, float[] std) {

    public Standardisation {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Measured on {@code training} (see {@link Tensors#meanStd}), with the training recipe's floor on the std. */
    public static Standardisation of(ImageSet training) {
        return of(training, TrainingRecipe.STD_FLOOR);
    }

    public static Standardisation of(ImageSet training, double stdFloor) {
        float[][] ms = Tensors.meanStd(training, stdFloor);
        return new Standardisation(ms[0], ms[1]);
    }

    public static Standardisation of(float[] mean, float[] std) {
        return new Standardisation(mean, std);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** [mean, std], the form {@link Tensors#of} takes. */
    public float[][] asArrays() {
        return new float[][]{mean.clone(), std.clone()};
    }

    /** "mean [0.2860], std [0.3530]": as summary.txt and the ONNX metadata state it. */
    public String oneLine() {
        return "mean " + list(mean) + ", std " + list(std);
    }

    static String list(float[] values) {
        return IntStream.range(0, values.length).mapToObj(i -> String.format(Locale.ROOT, "%.6f", values[i]))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardisation s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
