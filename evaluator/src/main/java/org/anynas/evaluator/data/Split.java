package org.anynas.evaluator.data;

import java.util.SplittableRandom;

/** A deterministic, seeded train/validation split carved from a training set. */
public final class Split {
    private Split() {
    }

    /** Holds out {@code validationSize} examples chosen by a seeded shuffle; the rest is training data. */
    public static Dataset of(String name, ImageSet trainingSet, ImageSet testSet, int validationSize, long seed) {
        int n = trainingSet.size();
        if (validationSize < 1 || validationSize >= n) {
            throw new DatasetException("validation size " + validationSize + " must be in [1, " + (n - 1) + "] for "
                    + n + " training images");
        }
        int[] order = permutation(n, seed);
        int[] val = new int[validationSize];
        int[] train = new int[n - validationSize];
        System.arraycopy(order, 0, val, 0, validationSize);
        System.arraycopy(order, validationSize, train, 0, train.length);
        return new Dataset(name, trainingSet.select(train, "/train"), trainingSet.select(val, "/val"), testSet);
    }

    /** Fisher–Yates with a SplittableRandom: the same on every JVM. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
