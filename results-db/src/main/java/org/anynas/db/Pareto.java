package org.anynas.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Non-dominated filtering over any number of objectives, each maximised or minimised: the one Pareto front of
 * AnyNAS ({@code db pareto}, the report, the end of an NSGA-II campaign, tests). An item dominates another when it
 * is at least as good on every objective and better on one; items with equal values on every objective do not
 * dominate each other, so both stay.
 */
public final class Pareto {
    private Pareto() {
    }

    /** One objective: its value for an item, and whether larger is better. */
    public record Objective<T>(ToDoubleFunction<T> value, boolean maximise) {
        public static <T> Objective<T> max(ToDoubleFunction<T> value) {
            return new Objective<>(value, true);
        }

        public static <T> Objective<T> min(ToDoubleFunction<T> value) {
            return new Objective<>(value, false);
        }

        /** The value with larger always better. */
        double gain(T item) {
            double v = value.applyAsDouble(item);
            return maximise ? v : -v;
        }
    }

    /**
     * The items no other item dominates, in their input order. An item with an objective that is NaN or infinite
     * (not measured) is left out: it can neither be on the front nor push another off it.
     */
    @SafeVarargs
    public static <T> List<T> front(List<T> items, Objective<T>... objectives) {
        return front(items, List.of(objectives));
    }

    public static <T> List<T> front(List<T> items, List<Objective<T>> objectives) {
        if (objectives.isEmpty()) throw new IllegalArgumentException("a Pareto front needs at least one objective");
        record Scored(int index, double[] gains) {
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            double[] g = new double[objectives.size()];
            // + 0.0 turns -0.0 (a minimised 0) into 0.0, which the sort would otherwise order below it
            for (int k = 0; k < g.length; k++) g[k] = objectives.get(k).gain(items.get(i)) + 0.0;
            if (Arrays.stream(g).allMatch(Double::isFinite)) scored.add(new Scored(i, g));
        }
        // best first in lexicographic order: nothing can dominate an item that comes before it, so each item is
        // compared with the front found so far only (whatever dominates a dropped item dominates it too)
        scored.sort(Comparator.comparing(Scored::gains, Pareto::lexicographic).reversed());
        List<Scored> front = new ArrayList<>();
        for (Scored s : scored) {
            if (front.stream().noneMatch(f -> dominates(f.gains(), s.gains()))) front.add(s);
        }
        front.sort(Comparator.comparingInt(Scored::index));
        return front.stream().map(s -> items.get(s.index())).toList();
    }

    /** Whether {@code a} dominates {@code b}, both with larger better on every objective. */
    public static boolean dominates(double[] a, double[] b) {
        boolean strictly = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) return false;
            if (a[i] > b[i]) strictly = true;
        }
        return strictly;
    }

    private static int lexicographic(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Double.compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }
}
