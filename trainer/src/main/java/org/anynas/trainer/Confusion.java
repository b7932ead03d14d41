package org.anynas.trainer;

import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class): accuracy, balanced accuracy (the mean recall of the classes that
 * have examples) and per-class recall, for scores, {@code ./nas train} and {@code ./nas predict} alike.
 */
public final class Confusion {
    private final long[][] counts;

    private Confusion(int classes) {
        counts = new long[classes][classes];
    }

    public static Confusion of(int classes) {
        return new Confusion(classes);
    }

    /** From parallel arrays of true and predicted class indices. */
    public static Confusion of(int classes, int[] truth, int[] predicted) {
        Confusion c = new Confusion(classes);
        for (int i = 0; i < truth.length; i++) c.add(truth[i], predicted[i]);
        return c;
    }

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public int classes() {
        return counts.length;
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public long support(int truth) {
        long s = 0;
        for (long v : counts[truth]) s += v;
        return s;
    }

    public long total() {
        long s = 0;
        for (int c = 0; c < counts.length; c++) s += support(c);
        return s;
    }

    public long correct() {
        long s = 0;
        for (int c = 0; c < counts.length; c++) s += counts[c][c];
        return s;
    }

    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : (double) correct() / n;
    }

    /** Recall of class {@code c}; NaN when it has no examples. */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? Double.NaN : (double) counts[c][c] / s;
    }

    /** Mean recall over the classes with examples (sklearn's balanced_accuracy_score). */
    public double balancedAccuracy() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            if (support(c) > 0) {
                sum += recall(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** "accuracy 0.9120 (912/1000), balanced accuracy 0.9034". */
    public String oneLine() {
        return String.format(Locale.ROOT, "accuracy %.4f (%d/%d), balanced accuracy %.4f", accuracy(), correct(), total(),
                balancedAccuracy());
    }

    /**
     * Per-class recall and the matrix as text: one row per true class (name, images, recall, then the counts
     * predicted as each class, columns numbered by class index).
     */
    public String render(List<String> classNames) {
        int k = counts.length;
        int nameWidth = "class".length();
        for (String n : classNames) nameWidth = Math.max(nameWidth, n.length() + 4);
        int cell = 4;
        for (long[] row : counts) for (long v : row) cell = Math.max(cell, Long.toString(v).length() + 1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %7s %7s  predicted as →%n", "true class", "images", "recall"));
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %7s %7s ", "", "", ""));
        for (int p = 0; p < k; p++) sb.append(String.format(Locale.ROOT, "%" + cell + "d", p));
        sb.append('\n');
        for (int t = 0; t < k; t++) {
            String name = t + " " + classNames.get(t);
            double r = recall(t);
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %7d %7s ", name, support(t),
                    Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.3f", r)));
            for (int p = 0; p < k; p++) sb.append(String.format(Locale.ROOT, "%" + cell + "d", counts[t][p]));
            sb.append('\n');
        }
        return sb.toString();
    }
}
