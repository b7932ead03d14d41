package org.anynas.cli.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How much a gene matters, measured simply: group the successful distinct networks by the gene's value, keep the
 * values seen often enough to trust a median, and take the spread (largest minus smallest) of the median
 * validation error across them. Large spread: the choice of value moves the typical network's error a lot.
 * It is a marginal measure (genes that co-vary share credit), not fANOVA.
 */
public record GeneImportance(String gene, double spread, String bestValue, String worstValue, int values, int networks) {

    /** A value needs this many networks (or 2 % of them, whichever is larger) before its median counts. */
    static final int MIN_PER_VALUE = 3;

    public static int minPerValue(int networks) {
        return Math.max(MIN_PER_VALUE, (int) Math.ceil(0.02 * networks));
    }

    /** Errors grouped by the gene's value (networks where the gene is absent, e.g. a stage that does not exist, left out). */
    public static Map<String, List<Double>> byValue(List<Point> points, String gene) {
        Map<String, List<Double>> groups = new java.util.HashMap<>();
        for (Point p : points) {
            Object v = p.genes().get(gene);
            if (v == null) continue;
            groups.computeIfAbsent(label(v), k -> new ArrayList<>()).add(p.valError());
        }
        Map<String, List<Double>> out = new java.util.LinkedHashMap<>();
        groups.keySet().stream().sorted(VALUE_ORDER).forEach(k -> out.put(k, groups.get(k)));
        return out;
    }

    /** Every gene that varies over enough networks, most important first. */
    public static List<GeneImportance> rank(List<Point> points, List<String> genes) {
        List<GeneImportance> out = new ArrayList<>();
        for (String g : genes) {
            Map<String, List<Double>> groups = byValue(points, g);
            int n = groups.values().stream().mapToInt(List::size).sum();
            int min = minPerValue(n);
            String best = null;
            String worst = null;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            int kept = 0;
            for (var e : groups.entrySet()) {
                if (e.getValue().size() < min) continue;
                kept++;
                double m = median(e.getValue());
                if (m < lo) {
                    lo = m;
                    best = e.getKey();
                }
                if (m > hi) {
                    hi = m;
                    worst = e.getKey();
                }
            }
            if (kept >= 2) out.add(new GeneImportance(g, hi - lo, best, worst, kept, n));
        }
        out.sort(Comparator.comparingDouble(GeneImportance::spread).reversed().thenComparing(GeneImportance::gene));
        return out;
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static String label(Object v) {
        if (v instanceof Double d) return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        if (v instanceof Float f) return label(f.doubleValue());
        return String.valueOf(v);
    }

    /** Numbers in numeric order, text after them alphabetically. */
    private static final Comparator<String> VALUE_ORDER = Comparator.<String, Boolean>comparing(s -> number(s) == null)
            .thenComparing(s -> number(s) == null ? 0.0 : number(s)).thenComparing(Comparator.naturalOrder());

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
