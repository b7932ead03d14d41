package org.anynas.cli.report;

import org.anynas.db.Pareto;
import org.anynas.space.GraphTable;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** 2. Pareto fronts of accuracy against parameters, MACs and latency, the front labelled with candidate ids. */
final class ParetoSection {
    private ParetoSection() {
    }

    /** Labels beyond this many front points would overlap into a smear; the table lists them all. */
    private static final int MAX_LABELS = 14;

    private record Cost(String key, String axis, ToDoubleFunction<Point> of, boolean log) {
    }

    static Section of(Snapshot s, Path dir) {
        List<Cost> costs = List.of(new Cost("params", "parameters (log scale)", p -> p.params(), true),
                new Cost("macs", "MACs per image (log scale)", p -> p.macs(), true),
                new Cost("latency", "latency at batch 1 (ms)", Point::latencyMs, false));
        List<Point> ok = distinct(s);
        StringBuilder html = new StringBuilder(Html.p("Every successful distinct network (grey, or one colour per campaign); "
                + "the non-dominated ones (no other network is both more accurate and cheaper) are joined by the line and "
                + "labelled with their candidate ids."
                + (s.campaigns().stream().anyMatch(CampaignData::ladder) ? " Of a campaign on a fidelity ladder only the "
                + "networks trained to its top rung are compared here." : "")));
        html.append("<div class=\"row\">");
        List<String> missing = new ArrayList<>();
        for (Cost cost : costs) {
            if (ok.stream().noneMatch(p -> Double.isFinite(cost.of().applyAsDouble(p)) && cost.of().applyAsDouble(p) > 0)) {
                missing.add(cost.key());
                continue;
            }
            html.append(Html.figure(chart(s, ok, cost, dir)));
        }
        html.append("</div>\n");
        if (!missing.isEmpty()) {
            html.append(Html.p("No " + String.join(", ", missing) + " figure: no candidate has that measurement "
                    + "(latency is measured when the campaign's evaluator measures inference)."));
        }
        List<Point> front = front(ok, p -> p.params());
        List<List<Object>> rows = new ArrayList<>();
        for (Point p : front) {
            rows.add(List.of(p.id(), p.campaign(), p.valAcc(), GraphTable.human(p.params()), GraphTable.human(p.macs()),
                    Html.fixed(p.latencyMs(), 1), p.oneLine()));
        }
        html.append("<h3>Front of accuracy against parameters</h3>");
        html.append(Html.table(List.of("candidate", "campaign", "val_acc", "params", "MACs", "latency ms", "architecture"), rows));
        return new Section("pareto", "Pareto fronts", html.toString());
    }

    /**
     * Successful distinct networks of each campaign, each at its score there; of a campaign on a fidelity ladder
     * only those at its top rung, so that no network on the front beats another only by having trained longer.
     */
    static List<Point> distinct(Snapshot s) {
        return s.campaigns().stream().flatMap(c -> c.distinctAtTopRung().stream()).toList();
    }

    /** The networks no other beats on both accuracy (higher) and the cost (lower), by ascending cost. */
    static List<Point> front(List<Point> points, ToDoubleFunction<Point> cost) {
        List<Point> front = new ArrayList<>(Pareto.front(points.stream().filter(Point::ok).toList(),
                Pareto.Objective.max(Point::valAcc), Pareto.Objective.min(cost)));
        front.sort(java.util.Comparator.comparingDouble(cost).thenComparing(java.util.Comparator.comparingDouble(Point::valAcc).reversed()));
        return front;
    }

    private static Figure chart(Snapshot s, List<Point> ok, Cost cost, Path dir) {
        XYChart chart = new XYChartBuilder().width(620).height(420).title("Validation accuracy against " + cost.key())
                .xAxisTitle(cost.axis()).yAxisTitle("validation accuracy").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisLogarithmic(cost.log());
        if (cost.log()) chart.getStyler().setXAxisDecimalPattern("#,##0"); // 10,000 rather than 1E4 (a custom formatter would turn the axis linear)
        chart.getStyler().setYAxisDecimalPattern("0.00");
        if (!cost.log()) chart.getStyler().setXAxisDecimalPattern("0.0");
        List<Point> usable = ok.stream().filter(p -> Double.isFinite(cost.of().applyAsDouble(p)) && cost.of().applyAsDouble(p) > 0).toList();
        int i = 0;
        for (CampaignData c : s.campaigns()) {
            List<Point> mine = usable.stream().filter(p -> p.campaign().equals(c.name())).toList();
            if (mine.isEmpty()) continue;
            XYSeries dots = chart.addSeries(s.campaigns().size() == 1 ? "network (" + mine.size() + ")" : c.name(),
                    mine.stream().map(p -> cost.of().applyAsDouble(p)).toList(), mine.stream().map(Point::valAcc).toList());
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            java.awt.Color col = s.campaigns().size() == 1 ? ChartStyle.FAINT : ChartStyle.color(i);
            dots.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(new java.awt.Color(col.getRed(), col.getGreen(), col.getBlue(), 120));
            i++;
        }
        List<Point> front = front(usable, cost.of());
        XYSeries line = chart.addSeries("Pareto front (" + front.size() + ")", front.stream().map(p -> cost.of().applyAsDouble(p)).toList(),
                front.stream().map(Point::valAcc).toList());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(ChartStyle.FAILED).setLineColor(ChartStyle.FAILED).setLineWidth(1.5f);
        // label the front; when it is long, label every n-th point so labels do not overlap into a smear
        int step = Math.max(1, (int) Math.ceil(front.size() / (double) MAX_LABELS));
        for (int k = 0; k < front.size(); k += step) {
            Point p = front.get(k);
            chart.addAnnotation(new AnnotationText("#" + p.id(), cost.of().applyAsDouble(p), p.valAcc() + labelOffset(usable), false));
        }
        return ChartStyle.save(chart, dir, "pareto-" + cost.key(), "validation accuracy against " + cost.key()
                + ", Pareto front labelled with candidate ids" + (step > 1 ? " (one label per " + step + " front points)" : ""));
    }

    private static double labelOffset(List<Point> points) {
        double lo = points.stream().mapToDouble(Point::valAcc).min().orElse(0);
        double hi = points.stream().mapToDouble(Point::valAcc).max().orElse(1);
        return Math.max(0.002, (hi - lo) * 0.03);
    }
}
