package org.anynas.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The one train/validation split rule of every dataset, built-in or a folder: seeded and stratified by class.
 * The seeded shuffle is walked in order and an image goes to validation while its class's share is not yet
 * full, so each class holds out its proportion of {@code validationSize} (largest remainders round) and the
 * same seed gives the same split on every JVM.
 */
public final class Split {
    private Split() {
    }

    /** Holds out {@code validationSize} examples, stratified by class; the rest is training data in shuffled order. */
    public static Dataset of(String name, ImageSet trainingSet, ImageSet testSet, int validationSize, long seed) {
        return of(name, trainingSet, testSet, validationSize, seed,
                KnownDataset.classNames(name, trainingSet.classes()), InputRule.STRETCH, List.of());
    }

    public static Dataset of(String name, ImageSet trainingSet, ImageSet testSet, int validationSize, long seed,
                             List<String> classNames, InputRule input, List<String> notes) {
        int n = trainingSet.size();
        if (validationSize < 1 || validationSize >= n) {
            throw new DatasetException("validation size " + validationSize + " must be in [1, " + (n - 1) + "] for "
                    + n + " training images");
        }
        int[] quota = quotas(trainingSet.classCounts(), validationSize);
        int[] order = permutation(n, seed);
        int[] val = new int[validationSize];
        int[] train = new int[n - validationSize];
        int v = 0;
        int t = 0;
        for (int i : order) {
            int c = trainingSet.label(i);
            if (quota[c] > 0) {
                quota[c]--;
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new Dataset(name, trainingSet.select(train, "/train"), trainingSet.select(val, "/val"), testSet,
                classNames, input, notes);
    }

    /** Each class's share of {@code total}: proportional to its count, remainders given to the largest fractions. */
    static int[] quotas(int[] counts, int total) {
        long n = 0;
        for (int c : counts) n += c;
        int[] quota = new int[counts.length];
        double[] fraction = new double[counts.length];
        int given = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = (double) counts[c] * total / n;
            quota[c] = (int) Math.floor(exact);
            fraction[c] = exact - quota[c];
            given += quota[c];
        }
        while (given < total) { // ties go to the lower class index: deterministic
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (quota[c] < counts[c] && (best < 0 || fraction[c] > fraction[best])) best = c;
            }
            quota[best]++;
            fraction[best] = -1;
            given++;
        }
        return quota;
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
