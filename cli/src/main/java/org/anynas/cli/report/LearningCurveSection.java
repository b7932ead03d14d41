package org.anynas.cli.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** 4. Learning curves of the top k networks: training (data) loss and validation accuracy per epoch. */
final class LearningCurveSection {
    private LearningCurveSection() {
    }

    static Section of(Snapshot s, Path dir, int k) {
        List<Point> top = TopK.of(s, k);
        StringBuilder html = new StringBuilder(Html.p("The " + top.size() + " best networks at the campaign's search fidelity. "
                + "Training loss is the mean cross-entropy of the training batches in each epoch (the data loss: without "
                + "the weight-decay term, for evaluations by evaluator version 3 and later; older DL4J evaluations stored "
                + "the data loss plus 0.5·wd·‖w‖²)."));
        if (top.isEmpty()) return new Section("curves", "Learning curves", html + Html.p("No successful candidate yet."));
        html.append("<div class=\"row\">");
        html.append(Html.figure(chart(top, dir, "curves-loss", "Training loss (data) of the top " + top.size(),
                "training loss (cross-entropy)", Point::trainLoss, "0.000")));
        html.append(Html.figure(chart(top, dir, "curves-acc", "Validation accuracy of the top " + top.size(),
                "validation accuracy", Point::valAccCurve, "0.00")));
        html.append("</div>\n");
        return new Section("curves", "Learning curves of the top " + top.size(), html.toString());
    }

    private static Figure chart(List<Point> top, Path dir, String name, String title, String yTitle,
                                Function<Point, List<Double>> curve, String pattern) {
        XYChart chart = new XYChartBuilder().width(620).height(400).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern(pattern);
        chart.getStyler().setXAxisDecimalPattern("0");
        int i = 0;
        for (Point p : top) {
            List<Double> ys = curve.apply(p);
            List<Integer> xs = new ArrayList<>();
            for (int e = 1; e <= ys.size(); e++) xs.add(e);
            if (ys.isEmpty()) continue;
            XYSeries series = chart.addSeries("#" + p.id() + " (" + Html.cell(p.valAcc()) + ")", xs, ys);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(ChartStyle.color(i));
            series.setLineColor(ChartStyle.color(i));
            i++;
        }
        return ChartStyle.save(chart, dir, name, title + " by epoch; legend: candidate id (final validation accuracy)");
    }
}
