package org.anynas.cli.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The networks no other beats on both accuracy (higher) and a cost (lower). */
final class Pareto {
    private Pareto() {
    }

    /** The non-dominated points, by ascending cost; points without a finite cost are left out. */
    static List<Point> front(List<Point> points, ToDoubleFunction<Point> cost) {
        List<Point> sorted = new ArrayList<>(points.stream().filter(p -> p.ok() && Double.isFinite(cost.applyAsDouble(p))).toList());
        // cheapest first, and among equal costs the most accurate first: one sweep keeps each new accuracy record
        sorted.sort(Comparator.comparingDouble(cost).thenComparing(Comparator.comparingDouble(Point::valAcc).reversed()));
        List<Point> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Point p : sorted) {
            if (p.valAcc() > best) {
                front.add(p);
                best = p.valAcc();
            }
        }
        return front;
    }
}
