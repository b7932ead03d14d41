package org.anynas.bench;

import org.anynas.space.UserInputException;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evolution against random search at an equal number of evaluations, over several seeds, on a real dataset at a
 * real proxy fidelity: the best validation accuracy found after each evaluation, and how many evaluations
 * evolution needs to reach random search's final best. Each seed gives both strategies the same fidelity seed,
 * so they differ only in which candidates they choose.
 */
public final class SearchBench {
    static final List<String> STRATEGIES = List.of("evolution", "random");

    /**
     * @param fidelityYaml a {@code fidelity:} block of changes to the quickstart fidelity, without its seed (the
     *                     seed is the run's)
     */
    public record Settings(int seeds, int evaluations, BenchData data, String fidelityYaml, Path workDir) {

        public Settings {
            if (seeds < 1) throw new UserInputException("--seeds must be >= 1, got " + seeds);
            if (evaluations < 2) throw new UserInputException("--evaluations must be >= 2, got " + evaluations);
        }

        /** The quickstart campaign at 2 epochs on 3,000 images, so 3 seeds × 2 strategies × 24 runs take about half an hour. */
        public static Settings standard(int seeds, int evaluations, BenchData data, Path workDir) {
            return new Settings(seeds, evaluations, data, "fidelity:\n  epochs: 2\n  train_size: 3000\n", workDir);
        }
    }

    /** Best-so-far validation accuracy after each evaluation, per strategy, one array per seed. */
    public record Result(Settings settings, Map<String, List<double[]>> curves, String space, String fidelity) {
    }

    private SearchBench() {
    }

    public static Result run(Settings s, PrintStream progress) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        String fidelity = "";
        String space = "";
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        for (int seed = 1; seed <= s.seeds(); seed++) {
            for (String strategy : STRATEGIES) {
                String name = "bench-" + strategy + "-seed" + seed + "-" + stamp;
                CampaignConfig config = config(s, strategy, seed, name);
                fidelity = config.fidelity().oneLine().replaceAll(", seed \\d+$", "");
                space = config.space();
                int runSeed = seed;
                CampaignRunner.Outcome o = CampaignRunner.start(config, new SearchListener() {
                    double best = Double.NaN;

                    @Override
                    public void visited(Visit v, int done, int max) {
                        if (v.result().ok() && !(v.result().valAccuracy() <= best)) best = v.result().valAccuracy();
                        progress.printf(Locale.ROOT, "\r%-9s seed %d: %2d/%d evaluations, best val_acc %.4f   ", strategy, runSeed,
                                done, max, best);
                        progress.flush();
                    }
                });
                progress.println();
                curves.computeIfAbsent(strategy, k -> new ArrayList<>()).add(bestSoFar(o.visits(), s.evaluations()));
            }
        }
        return new Result(s, curves, space, fidelity);
    }

    /**
     * One run: the quickstart campaign with this strategy and seed. Each benchmark run gets its own database:
     * scores cached by an earlier run (or evaluator version) never leak in.
     */
    static CampaignConfig config(Settings s, String strategy, int seed, String name) {
        return CampaignConfig.quickstart("name: " + name + "\n"
                + s.data().yaml()
                + "strategy: " + strategy + "\n"
                + "seed: " + seed + "\n"
                + "db: \"" + s.workDir().resolve("search-bench-" + name.substring(name.lastIndexOf('-') + 1)) + "\"\n"
                + "stop:\n  max_evaluations: " + s.evaluations() + "\n"
                + s.fidelityYaml() + "  seed: " + seed + "\n", "search benchmark");
    }

    static double[] bestSoFar(List<Visit> visits, int n) {
        double[] curve = new double[n];
        double best = Double.NaN;
        for (int i = 0; i < n; i++) {
            if (i < visits.size() && visits.get(i).result().ok()) {
                double acc = visits.get(i).result().valAccuracy();
                if (Double.isNaN(best) || acc > best) best = acc;
            }
            curve[i] = best;
        }
        return curve;
    }

    static double[] mean(List<double[]> runs) {
        double[] m = new double[runs.get(0).length];
        for (int i = 0; i < m.length; i++) {
            double sum = 0;
            int k = 0;
            for (double[] r : runs) {
                if (Double.isFinite(r[i])) {
                    sum += r[i];
                    k++;
                }
            }
            m[i] = k == 0 ? Double.NaN : sum / k;
        }
        return m;
    }

    /** 1-based evaluation at which {@code curve} first reaches {@code target}, or -1. */
    static int reaches(double[] curve, double target) {
        for (int i = 0; i < curve.length; i++) if (curve[i] >= target) return i + 1;
        return -1;
    }

    public static MarkdownReport report(Result r, String command, Machine machine, String pngName) {
        Settings s = r.settings();
        MarkdownReport md = MarkdownReport.of("Search efficiency: evolution vs random search", command, machine);
        md.paragraph(String.format(Locale.ROOT, "Space `%s` with the quickstart budget, %s; %d evaluations per run, seeds 1..%d "
                        + "(the seed drives both the search and the fidelity's weight init). Evolution: regularized evolution, "
                        + "population 8: its first 8 candidates are the same random draws as random search's first 8 (same seed), so "
                        + "the curves share their start and differ only by what each strategy does next. When random search's final best is among those shared draws, evolution \"reaches\" it within the first 8.", r.space(), r.fidelity(),
                s.evaluations(), s.seeds()));
        md.heading("Best validation accuracy found vs evaluations (mean over seeds)");
        List<String> header = new ArrayList<>(List.of("evaluations"));
        for (String st : STRATEGIES) header.add(st + " mean");
        for (String st : STRATEGIES) header.add(st + " per seed");
        List<List<String>> rows = new ArrayList<>();
        int step = Math.max(1, s.evaluations() / 8);
        java.util.TreeSet<Integer> shown = new java.util.TreeSet<>();
        for (int i = step - 1; i < s.evaluations(); i += step) shown.add(i);
        shown.add(s.evaluations() - 1);
        for (int i : shown) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(i + 1)));
            for (String st : STRATEGIES) row.add(fmt(mean(r.curves().get(st))[i]));
            for (String st : STRATEGIES) {
                List<String> per = new ArrayList<>();
                for (double[] c : r.curves().get(st)) per.add(fmt(c[i]));
                row.add(String.join(" / ", per));
            }
            rows.add(row);
        }
        md.table(header, rows);
        md.heading("Evaluations evolution needs to reach random search's final best");
        List<List<String>> reach = new ArrayList<>();
        List<double[]> evo = r.curves().get("evolution");
        List<double[]> rnd = r.curves().get("random");
        for (int k = 0; k < evo.size(); k++) {
            double target = rnd.get(k)[s.evaluations() - 1];
            int at = reaches(evo.get(k), target);
            reach.add(List.of("seed " + (k + 1), fmt(target), at < 0 ? "not reached in " + s.evaluations() : String.valueOf(at),
                    fmt(evo.get(k)[s.evaluations() - 1])));
        }
        double meanTarget = mean(rnd)[s.evaluations() - 1];
        int meanAt = reaches(mean(evo), meanTarget);
        reach.add(List.of("mean curves", fmt(meanTarget), meanAt < 0 ? "not reached in " + s.evaluations() : String.valueOf(meanAt),
                fmt(mean(evo)[s.evaluations() - 1])));
        md.table(List.of("run", "random's final best", "evolution reaches it at evaluation", "evolution's final best"), reach);
        md.paragraph("![best validation accuracy vs evaluations](" + pngName + ")");
        return md;
    }

    /** Best-so-far curves: each seed faint, the mean of each strategy bold; PNG (XChart). */
    public static void plot(Result r, Path png) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Best val accuracy found vs evaluations (" + r.settings().seeds() + " seeds)")
                .xAxisTitle("evaluations").yAxisTitle("best val_acc").build();
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(0);
        Map<String, Color> colors = Map.of("evolution", new Color(200, 60, 30), "random", new Color(40, 90, 200));
        for (String st : STRATEGIES) {
            Color c = colors.get(st);
            int seed = 0;
            for (double[] curve : r.curves().get(st)) {
                seed++;
                if (java.util.Arrays.stream(curve).noneMatch(Double::isFinite)) continue; // no success in this run
                XYSeries s = line(chart, st + " seed " + seed, curve);
                s.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90)).setLineWidth(1.2f).setShowInLegend(false);
            }
            double[] mean = mean(r.curves().get(st));
            if (java.util.Arrays.stream(mean).noneMatch(Double::isFinite)) continue;
            line(chart, st + " (mean)", mean).setLineColor(c).setLineWidth(3f);
        }
        try {
            java.nio.file.Files.createDirectories(png.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    /** A series over evaluations 1..n; evaluations before the first success (NaN) are left out. */
    private static XYSeries line(XYChart chart, String name, double[] y) {
        return line(chart, name, y, 1);
    }

    /** A series whose point i sits at x = (i + 1)·step; points without a value yet (NaN) are left out. */
    static XYSeries line(XYChart chart, String name, double[] y, double step) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) continue;
            xs.add((i + 1) * step);
            ys.add(y[i]);
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return s;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }
}
