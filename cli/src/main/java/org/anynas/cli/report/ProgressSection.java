package org.anynas.cli.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** 1. Progress: every candidate's accuracy over evaluations and wall time, best so far, failures marked. */
final class ProgressSection {
    private ProgressSection() {
    }

    static Section of(Snapshot s, Path dir) {
        StringBuilder html = new StringBuilder(Html.p("Each dot is one candidate's validation accuracy; the line is the best "
                + "found so far. Failed candidates (diverged, out of memory, timeout, invalid …) are the red crosses at the "
                + "bottom edge. Wall time counts from the campaign's creation, so a resumed campaign shows its pause."
                + (s.campaigns().stream().anyMatch(CampaignData::ladder) ? " On a fidelity ladder each rung has its colour "
                + "(a promoted network appears once per rung) and the best-so-far line counts the top rung only." : "")));
        int i = 0;
        for (CampaignData c : s.campaigns()) {
            String slug = "progress-" + (i++);
            html.append("<div class=\"row\">");
            html.append(Html.figure(chart(c, dir, slug + "-evals", "evaluation (candidate #)", p -> p.seq())));
            html.append(Html.figure(chart(c, dir, slug + "-time", "wall time since the campaign started (min)",
                    p -> minutes(c, p))));
            html.append("</div>\n");
        }
        if (s.campaigns().size() > 1) {
            html.append("<h3>Campaigns compared</h3><div class=\"row\">");
            html.append(Html.figure(compare(s, dir, "progress-compare-evals", "evaluation (candidate #)", (c, p) -> (double) p.seq())));
            html.append(Html.figure(compare(s, dir, "progress-compare-time", "wall time since the campaign started (min)",
                    ProgressSection::minutes)));
            html.append("</div>\n");
        }
        return new Section("progress", "Progress", html.toString());
    }

    static double minutes(CampaignData c, Point p) {
        return p.created() == null || c.created() == null ? Double.NaN : Duration.between(c.created(), p.created()).toMillis() / 60_000.0;
    }

    private static Figure chart(CampaignData c, Path dir, String name, String xTitle, ToDoubleFunction<Point> x) {
        XYChart chart = new XYChartBuilder().width(620).height(400).title(c.name() + ": validation accuracy")
                .xAxisTitle(xTitle).yAxisTitle("validation accuracy").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern("0.##");
        List<Point> ok = c.points().stream().filter(Point::ok).toList();
        List<Point> failed = c.points().stream().filter(p -> !p.ok()).toList();
        if (!ok.isEmpty()) {
            List<Double> bx = new ArrayList<>();
            List<Double> by = new ArrayList<>();
            double best = Double.NEGATIVE_INFINITY;
            int top = c.topRung();
            for (Point p : c.points().stream().sorted(java.util.Comparator.comparingDouble(x)).toList()) {
                if (!p.ok() || p.rung() != top || !Double.isFinite(x.applyAsDouble(p))) continue;
                best = Math.max(best, p.valAcc());
                bx.add(x.applyAsDouble(p));
                by.add(best);
            }
            if (!bx.isEmpty()) {
                XYSeries line = chart.addSeries(c.ladder() ? "best so far at rung " + top : "best so far", bx, by);
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                line.setMarker(SeriesMarkers.NONE).setLineColor(ChartStyle.color(0)).setLineWidth(2.5f);
            }
            // after the line, so that candidates on it stay visible
            if (!c.ladder()) {
                XYSeries dots = chart.addSeries("candidate (" + ok.size() + ")", xs(ok, x), ok.stream().map(Point::valAcc).toList());
                dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                dots.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(ok.size() > 100 ? ChartStyle.FAINT : new java.awt.Color(90, 90, 90, 170));
            }
            for (int r = 0; c.ladder() && r <= top; r++) {
                int rung = r;
                List<Point> at = ok.stream().filter(p -> p.rung() == rung).toList();
                if (at.isEmpty()) continue;
                XYSeries dots = chart.addSeries("rung " + r + ", " + at.get(0).rungEpochs() + " ep (" + at.size() + ")",
                        xs(at, x), at.stream().map(Point::valAcc).toList());
                dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                dots.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(ChartStyle.color(r + 1));
            }
        }
        if (!failed.isEmpty()) {
            double bottom = ok.stream().mapToDouble(Point::valAcc).min().orElse(0);
            XYSeries f = chart.addSeries("failed (" + failed.size() + ")", xs(failed, x),
                    failed.stream().map(p -> bottom).toList());
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            f.setMarker(SeriesMarkers.CROSS).setMarkerColor(ChartStyle.FAILED);
        }
        if (c.points().isEmpty()) chart.setTitle(c.name() + ": no candidate recorded yet");
        return ChartStyle.save(chart, dir, name, c.name() + ": accuracy against " + xTitle);
    }

    private static List<Double> xs(List<Point> points, ToDoubleFunction<Point> x) {
        return points.stream().map(p -> {
            double v = x.applyAsDouble(p);
            return Double.isFinite(v) ? v : 0.0;
        }).toList();
    }

    private static Figure compare(Snapshot s, Path dir, String name, String xTitle,
                                  java.util.function.BiFunction<CampaignData, Point, Double> x) {
        XYChart chart = new XYChartBuilder().width(620).height(400).title("Best so far, campaigns compared")
                .xAxisTitle(xTitle).yAxisTitle("best validation accuracy").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern("0.##");
        int i = 0;
        for (CampaignData c : s.campaigns()) {
            List<Double> bx = new ArrayList<>();
            List<Double> by = new ArrayList<>();
            double best = Double.NEGATIVE_INFINITY;
            int top = c.topRung(); // a ladder's best at its top rung, comparable with a campaign without one
            for (Point p : c.points().stream().sorted(java.util.Comparator.comparingDouble(p -> x.apply(c, p))).toList()) {
                double xv = x.apply(c, p);
                if (!p.ok() || p.rung() != top || !Double.isFinite(xv)) continue;
                best = Math.max(best, p.valAcc());
                bx.add(xv);
                by.add(best);
            }
            if (bx.isEmpty()) continue;
            XYSeries line = chart.addSeries(c.name(), bx, by);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            line.setMarker(SeriesMarkers.NONE).setLineColor(ChartStyle.color(i++)).setLineWidth(2.5f);
        }
        return ChartStyle.save(chart, dir, name, "best validation accuracy so far against " + xTitle);
    }
}
