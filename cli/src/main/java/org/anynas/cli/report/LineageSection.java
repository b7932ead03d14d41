package org.anynas.cli.report;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** 5. The lineage of the best candidate: its parent chain with the edit each mutation or crossover made. */
final class LineageSection {
    private LineageSection() {
    }

    static Section of(Snapshot s, Path dir) {
        List<Point> top = TopK.of(s, 1);
        if (top.isEmpty()) return new Section("lineage", "Lineage of the best", Html.p("No successful candidate yet."));
        Point best = top.get(0);
        CampaignData campaign = s.campaigns().stream().filter(c -> c.name().equals(best.campaign())).findFirst().orElseThrow();
        Lineage lineage = Lineage.of(best, campaign.points());
        StringBuilder html = new StringBuilder(Html.p("Candidate #" + best.id() + " of " + best.campaign() + " (validation accuracy "
                + Html.cell(best.valAcc()) + ") and its ancestors through their first parents, oldest first; the edit "
                + "lists the genes that differ from the first parent."));
        if (lineage.steps().size() > 1) html.append(Html.figure(chart(lineage, dir)));
        else html.append(Html.p("It has no recorded parent: it was drawn at random (origin '" + best.origin() + "')."));
        List<List<Object>> rows = new ArrayList<>();
        for (Lineage.Step st : lineage.steps()) {
            Point p = st.point();
            rows.add(List.of(p.id(), p.generation(), p.ok() ? Html.cell(p.valAcc()) : p.status(), st.edit()));
        }
        html.append(Html.table(List.of("candidate", "generation", "val_acc", "how it came about"), rows));
        return new Section("lineage", "Lineage of the best", html.toString());
    }

    private static Figure chart(Lineage lineage, Path dir) {
        XYChart chart = new XYChartBuilder().width(620).height(360).title("Validation accuracy along the lineage")
                .xAxisTitle("step in the lineage (oldest ancestor = 1)").yAxisTitle("validation accuracy").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setXAxisDecimalPattern("0");
        List<Integer> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < lineage.steps().size(); i++) {
            Point p = lineage.steps().get(i).point();
            if (!p.ok()) continue;
            xs.add(i + 1);
            ys.add(p.valAcc());
        }
        XYSeries s = chart.addSeries("lineage", xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(ChartStyle.color(0));
        s.setLineColor(ChartStyle.color(0));
        double lo = ys.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = ys.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        for (int i = 0; i < xs.size(); i++) {
            long id = lineage.steps().get(xs.get(i) - 1).point().id();
            chart.addAnnotation(new AnnotationText("#" + id, xs.get(i), ys.get(i) + Math.max(0.002, (hi - lo) * 0.05), false));
        }
        return ChartStyle.save(chart, dir, "lineage", "validation accuracy of the best candidate's ancestors, labelled with candidate ids");
    }
}
