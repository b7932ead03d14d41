package org.anynas.bench;

import org.anynas.search.CampaignConfig;
import org.anynas.search.CampaignRunner;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;
import org.anynas.space.UserInputException;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evolution on a fidelity ladder against plain evolution at the ladder's top fidelity, at equal compute: compute is
 * images trained (epochs × images, over every candidate and rung), and the budget is what plain evolution spends on
 * its candidates. The ladder run stops once it has trained as many images. Both arms share the seed (search and
 * weight init), the space, the budget and the schedule; only the top rung's scores count as results.
 */
public final class LadderBench {
    static final int GRID = 20; // the curves are read at 5 %, 10 % … 100 % of the budget

    /**
     * @param campaignYaml the campaign both arms run (over the quickstart), without name, seed, stop and db
     * @param ladderYaml   the {@code multi_fidelity:} block of the ladder arm
     */
    public record Settings(int seeds, int plainCandidates, String campaignYaml, String ladderYaml, Path dataDir, Path workDir) {
        public Settings {
            if (seeds < 1) throw new UserInputException("--seeds must be >= 1, got " + seeds);
            if (plainCandidates < 2) throw new UserInputException("--evaluations must be >= 2, got " + plainCandidates);
        }

        /**
         * Sized for a 2-core machine: small networks (≤ 30k parameters, ≤ 2M MACs) of the AnyNet space, 9 epochs on
         * 1,000 Fashion-MNIST images (validation 1,000), one slot, population 4; the ladder 1 → 3 → 9 epochs, eta 3, ASHA.
         */
        public static Settings standard(int seeds, int plainCandidates, String backend, Path dataDir, Path workDir) {
            return new Settings(seeds, plainCandidates, String.join("\n",
                    "backend: " + backend, "workers: 1", "in_flight: 1", "population: 4", "tournament: 2",
                    "budget: {max_params: 30000, max_macs: 2000000}", "validation_size: 1000",
                    "fidelity: {epochs: 9, train_size: 1000, val_size: 1000, batch_size: 50}", "torch: {python: /usr/bin/python3, device: cpu}"),
                    "multi_fidelity: {min_epochs: 1, eta: 3, rule: asha}", dataDir, workDir);
        }
    }

    /** One run: cumulative images trained after each training, and the best top-rung val_acc known by then. */
    public record Run(String arm, int seed, long[] images, double[] best, int trainings) {
        /** Best top-rung val_acc reached within {@code budget} images (NaN before the first top-rung result). */
        double bestWithin(long budget) {
            double b = Double.NaN;
            for (int i = 0; i < images.length && images[i] <= budget; i++) b = best[i];
            return b;
        }
    }

    public record Result(Settings settings, List<Run> runs, long budget, String fidelity, String ladder, String backend) {
        List<Run> arm(String arm) {
            return runs.stream().filter(r -> r.arm().equals(arm)).toList();
        }
    }

    private LadderBench() {
    }

    public static Result run(Settings s, PrintStream progress) {
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        List<Run> runs = new ArrayList<>();
        long budget = 0;
        String fidelity = "", ladder = "", backend = "";
        for (int seed = 1; seed <= s.seeds(); seed++) {
            CampaignConfig plain = config(s, "plain", seed, stamp, s.plainCandidates(), "");
            budget = (long) s.plainCandidates() * plain.fidelity().epochs() * plain.fidelity().trainSize();
            fidelity = plain.fidelity().oneLine().replaceAll(", seed \\d+$", "");
            Run p = one(plain, "plain", seed, Long.MAX_VALUE, progress);
            runs.add(p);
            backend = lastBackend;
            // the ladder may need many more trainings for the same images; the compute budget stops it
            CampaignConfig laddered = config(s, "ladder", seed, stamp, 50 * s.plainCandidates(), s.ladderYaml());
            ladder = laddered.ladder().oneLine();
            runs.add(one(laddered, "ladder", seed, budget, progress));
            deleteTree(CampaignRunner.checkpointDir(laddered.dbPath())); // stopped at the budget, the run kept its checkpoints
        }
        return new Result(s, runs, budget, fidelity, ladder, backend);
    }

    private static String lastBackend = "";

    private static Run one(CampaignConfig config, String arm, int seed, long budget, PrintStream progress) {
        int top = config.fidelity().epochs();
        long perEpoch = config.fidelity().trainSize();
        AtomicLong images = new AtomicLong();
        List<long[]> points = new ArrayList<>();
        List<Double> bests = new ArrayList<>();
        CampaignRunner.Outcome o = CampaignRunner.start(config, new SearchListener() {
            double best = Double.NaN;

            @Override
            public void backend(String description) {
                lastBackend = description;
            }

            @Override
            public synchronized void visited(Visit v, int done, int max) {
                images.addAndGet(v.trainedEpochs() * perEpoch);
                if (v.epochs() == top && v.result().ok() && !(v.result().valAccuracy() <= best)) best = v.result().valAccuracy();
                points.add(new long[]{images.get()});
                bests.add(best);
                progress.printf(Locale.ROOT, "\r%-6s seed %d: %3d trainings, %,d images%s, best top-rung val_acc %.4f   ", arm, seed,
                        done, images.get(), budget == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, " (%.0f%% of the budget)",
                                100.0 * images.get() / budget), best);
                progress.flush();
            }
        }, () -> images.get() >= budget);
        progress.println();
        long[] x = points.stream().mapToLong(p -> p[0]).toArray();
        double[] y = bests.stream().mapToDouble(Double::doubleValue).toArray();
        return new Run(arm, seed, x, y, o.visits().size());
    }

    /** The quickstart with the bench's campaign, this seed and (for the ladder arm) its multi_fidelity block. */
    static CampaignConfig config(Settings s, String arm, int seed, String stamp, int trainings, String ladderYaml) {
        String name = "bench-" + arm + "-seed" + seed + "-" + stamp;
        return CampaignConfig.quickstart(s.campaignYaml() + "\n"
                + "name: " + name + "\n"
                + (s.dataDir() == null ? "" : "data_dir: \"" + s.dataDir() + "\"\n")
                + "seed: " + seed + "\n"
                + "cache: false\n"
                + "db: \"" + s.workDir().resolve("ladder-bench-" + stamp) + "\"\n"
                + "stop:\n  max_evaluations: " + trainings + "\n"
                + ladderYaml + "\n", "ladder benchmark");
    }

    static double[] grid(Run r, long budget) {
        double[] g = new double[GRID];
        for (int i = 0; i < GRID; i++) g[i] = r.bestWithin(budget * (i + 1) / GRID);
        return g;
    }

    /** Mean over the runs; NaN until every run has a top-rung result (a mean of the lucky seeds would flatter). */
    static double[] mean(List<Run> runs, long budget) {
        double[] m = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            double sum = 0;
            for (Run r : runs) sum += grid(r, budget)[i];
            m[i] = sum / runs.size();
        }
        return m;
    }

    public static MarkdownReport report(Result r, String command, Machine machine, String pngName) {
        Settings s = r.settings();
        MarkdownReport md = MarkdownReport.of("Multi-fidelity: evolution on a fidelity ladder vs plain evolution at equal compute",
                command, machine);
        md.paragraph(String.format(Locale.ROOT, "Campaign (over the quickstart): `%s`. %s; trainer: %s. Plain evolution trains %d "
                        + "candidates at the top fidelity; its compute, %,d images trained, is the budget. The ladder arm (%s) runs "
                        + "until it has trained as many images (every rung counted; a promotion continues from its checkpoint, so "
                        + "it costs only its new epochs). Only top-rung scores count. Seeds 1..%d (search and weight init).",
                s.campaignYaml().replace("\n", " "), r.fidelity(), r.backend().replace("\n", "; "), s.plainCandidates(), r.budget(),
                r.ladder(), s.seeds()));
        md.heading("Best top-rung validation accuracy vs compute (mean over seeds, then per seed)");
        List<String> header = List.of("compute", "plain mean", "ladder mean", "plain per seed", "ladder per seed");
        List<List<String>> rows = new ArrayList<>();
        double[] plainMean = mean(r.arm("plain"), r.budget());
        double[] ladderMean = mean(r.arm("ladder"), r.budget());
        for (int i = 1; i < GRID; i += 2) {
            List<String> row = new ArrayList<>(List.of((i + 1) * 100 / GRID + " %", fmt(plainMean[i]), fmt(ladderMean[i])));
            for (String arm : List.of("plain", "ladder")) {
                List<String> per = new ArrayList<>();
                for (Run run : r.arm(arm)) per.add(fmt(grid(run, r.budget())[i]));
                row.add(String.join(" / ", per));
            }
            rows.add(row);
        }
        md.table(header, rows);
        double target = plainMean[GRID - 1];
        int at = -1;
        for (int i = 0; i < GRID && at < 0; i++) if (ladderMean[i] >= target) at = (i + 1) * 100 / GRID;
        md.paragraph(String.format(Locale.ROOT, "Plain evolution's final best (mean curve): %s. The ladder's mean curve reaches it at %s "
                        + "of the compute (target: ≤ 40 %%); its final best at equal compute: %s. Trainings per run: plain %s, ladder %s.",
                fmt(target), at < 0 ? "no point within 100 %" : at + " %", fmt(ladderMean[GRID - 1]),
                r.arm("plain").stream().map(x -> String.valueOf(x.trainings())).toList(),
                r.arm("ladder").stream().map(x -> String.valueOf(x.trainings())).toList()));
        md.paragraph("![best top-rung val_acc vs compute](" + pngName + ")");
        return md;
    }

    /** Best-so-far top-rung accuracy over compute: each seed faint, each arm's mean bold; PNG (XChart). */
    public static void plot(Result r, Path png) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Best top-rung val accuracy vs compute (" + r.settings().seeds() + " seeds)")
                .xAxisTitle("compute (% of plain evolution's images)").yAxisTitle("best val_acc").build();
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(0);
        double step = 100.0 / GRID;
        for (String arm : List.of("plain", "ladder")) {
            Color c = arm.equals("plain") ? new Color(40, 90, 200) : new Color(200, 60, 30);
            int seed = 0;
            for (Run run : r.arm(arm)) {
                double[] curve = grid(run, r.budget());
                seed++;
                if (java.util.Arrays.stream(curve).noneMatch(Double::isFinite)) continue;
                SearchBench.line(chart, arm + " seed " + seed, curve, step)
                        .setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90)).setLineWidth(1.2f).setShowInLegend(false);
            }
            double[] mean = mean(r.arm(arm), r.budget());
            if (java.util.Arrays.stream(mean).anyMatch(Double::isFinite)) {
                SearchBench.line(chart, arm + " (mean)", mean, step).setLineColor(c).setLineWidth(3f);
            }
        }
        try {
            java.nio.file.Files.createDirectories(png.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) return;
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }
}
