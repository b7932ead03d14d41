package org.anynas.bench;

import org.anynas.space.FileTree;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
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
 * Evolution on fidelity ladders against plain evolution at the ladders' top fidelity, at equal compute: compute is
 * images trained (epochs × images, over every candidate and rung), and the budget is that of a number of trainings at
 * the top fidelity. Every arm stops once it has trained as many images; a network a campaign proposes again reuses
 * its own score and costs nothing (the cache between campaigns is off, so arms never share scores). All arms share
 * the seed (search and weight init), the space, the budget and the schedule; only the top rung's scores count.
 */
public final class LadderBench {
    static final int GRID = 20; // the curves are read at 5 %, 10 % … 100 % of the budget

    /** One ladder arm: a promotion rule, its eta, and the first rung's epochs (rungs up to the top fidelity). */
    public record Arm(String rule, int eta, int minEpochs) {
        public Arm {
            if (!List.of("asha", "median").contains(rule)) {
                throw new UserInputException("--ladders: the rule must be asha or median, got '" + rule + "'");
            }
            if (eta < 2) throw new UserInputException("--ladders: eta must be >= 2, got " + eta);
            if (minEpochs < 1) throw new UserInputException("--ladders: the first rung's epochs must be >= 1, got " + minEpochs);
        }

        /** {@code median:3,asha:3,median:3:3} (rule:eta, then optionally the first rung's epochs, 1 by default) */
        public static List<Arm> parse(String text) {
            List<Arm> arms = new ArrayList<>();
            for (String part : text.split(",")) {
                String[] kv = part.trim().split(":", -1);
                if (kv.length < 2 || kv.length > 3 || !kv[1].matches("\\d{1,2}") || kv.length == 3 && !kv[2].matches("\\d{1,2}")) {
                    throw new UserInputException("--ladders takes rule:eta or rule:eta:min_epochs, such as median:3,asha:3,median:3:3; "
                            + "got '" + part.trim() + "'");
                }
                arms.add(new Arm(kv[0], Integer.parseInt(kv[1]), kv.length == 3 ? Integer.parseInt(kv[2]) : 1));
            }
            return List.copyOf(arms);
        }

        public String name() {
            return rule + " eta " + eta + (minEpochs == 1 ? "" : " from " + minEpochs);
        }

        String key() {
            return rule + "-eta" + eta + (minEpochs == 1 ? "" : "-from" + minEpochs);
        }

        String yaml() {
            return "multi_fidelity: {min_epochs: " + minEpochs + ", eta: " + eta + ", rule: " + rule + "}";
        }
    }

    /** @param campaignYaml the campaign every arm runs (over the quickstart), without name, seed, stop and db */
    public record Settings(int seeds, int plainCandidates, String campaignYaml, List<Arm> ladders, BenchData data, Path workDir) {
        public Settings {
            if (seeds < 1) throw new UserInputException("--seeds must be >= 1, got " + seeds);
            if (plainCandidates < 2) throw new UserInputException("--evaluations must be >= 2, got " + plainCandidates);
            if (ladders.isEmpty()) throw new UserInputException("--ladders needs at least one rule:eta");
            ladders = List.copyOf(ladders);
        }

        /**
         * Sized for a 2-core machine: small networks (≤ 30k parameters, ≤ 2M MACs) of the AnyNet space, 9 epochs on
         * 1,000 Fashion-MNIST images (validation 1,000), population 4, {@code slots} slots (in_flight as many).
         */
        public static Settings standard(int seeds, int plainCandidates, String backend, int slots, List<Arm> ladders,
                                        BenchData data, Path workDir) {
            if (slots < 1) throw new UserInputException("--workers must be >= 1, got " + slots);
            return new Settings(seeds, plainCandidates, String.join("\n",
                    "backend: " + backend, "workers: " + slots, "in_flight: " + slots, "population: 4", "tournament: 2",
                    "budget: {max_params: 30000, max_macs: 2000000}", "validation_size: 1000",
                    "fidelity: {epochs: 9, train_size: 1000, val_size: 1000, batch_size: 50}", "torch: {python: /usr/bin/python3, device: cpu}"),
                    ladders, data, workDir);
        }
    }

    /**
     * One run: cumulative images trained after each candidate, and the best top-rung val_acc known by then;
     * {@code trainings} counts what trained (each rung's leg; not a repeat that reused the campaign's score).
     */
    public record Run(String arm, int seed, long[] images, double[] best, int trainings) {
        /** Best top-rung val_acc reached within {@code budget} images (NaN before the first top-rung result). */
        double bestWithin(long budget) {
            double b = Double.NaN;
            for (int i = 0; i < images.length && images[i] <= budget; i++) b = best[i];
            return b;
        }
    }

    /** @param ladders each ladder arm's rungs, as the campaign states them */
    public record Result(Settings settings, List<Run> runs, long budget, String fidelity, List<String> ladders, String backend) {
        List<Run> arm(String arm) {
            return runs.stream().filter(r -> r.arm().equals(arm)).toList();
        }

        /** "plain", then the ladder arms in the order given */
        int seedsDone() {
            return arm("plain").size();
        }

        List<String> arms() {
            List<String> out = new ArrayList<>(List.of("plain"));
            settings.ladders().forEach(a -> out.add(a.name()));
            return out;
        }
    }

    private LadderBench() {
    }

    /** Runs every seed, handing the result so far to {@code seedDone} after each (a stopped run keeps its finished seeds). */
    public static Result run(Settings s, PrintStream progress, java.util.function.Consumer<Result> seedDone) {
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        List<Run> runs = new ArrayList<>();
        long budget = 0;
        String fidelity = "", backend = "";
        List<String> ladders = new ArrayList<>();
        for (int seed = 1; seed <= s.seeds(); seed++) {
            // repeats cost nothing, so every arm may need more candidates than trainings; the compute budget stops it
            CampaignConfig plain = config(s, "plain", seed, stamp, 50 * s.plainCandidates(), "");
            budget = (long) s.plainCandidates() * plain.fidelity().epochs() * plain.fidelity().trainSize();
            fidelity = plain.fidelity().oneLine().replaceAll(", seed \\d+$", "");
            Run p = one(plain, "plain", seed, budget, progress);
            runs.add(p);
            backend = lastBackend;
            for (Arm arm : s.ladders()) {
                CampaignConfig laddered = config(s, arm.key(), seed, stamp, 50 * s.plainCandidates(), arm.yaml());
                if (seed == 1) ladders.add(laddered.ladder().oneLine());
                runs.add(one(laddered, arm.name(), seed, budget, progress));
                deleteTree(CampaignRunner.checkpointDir(laddered.dbPath())); // stopped at the budget, the run kept its checkpoints
            }
            seedDone.accept(new Result(s, List.copyOf(runs), budget, fidelity, List.copyOf(ladders), backend));
        }
        return new Result(s, runs, budget, fidelity, ladders, backend);
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
                progress.printf(Locale.ROOT, "\r%-12s seed %d: %3d candidates, %,d images (%.0f%% of the budget), "
                        + "best top-rung val_acc %.4f   ", arm, seed, done, images.get(), 100.0 * images.get() / budget, best);
                progress.flush();
            }
        }, () -> images.get() >= budget);
        progress.println();
        long[] x = points.stream().mapToLong(p -> p[0]).toArray();
        double[] y = bests.stream().mapToDouble(Double::doubleValue).toArray();
        return new Run(arm, seed, x, y, (int) o.visits().stream().filter(v -> v.trainedEpochs() > 0).count());
    }

    /** The quickstart with the bench's campaign, this seed and (for the ladder arm) its multi_fidelity block. */
    static CampaignConfig config(Settings s, String arm, int seed, String stamp, int maxEvaluations, String ladderYaml) {
        String name = "bench-" + arm + "-seed" + seed + "-" + stamp;
        return CampaignConfig.quickstart(s.campaignYaml() + "\n"
                + "name: " + name + "\n"
                + s.data().yaml()
                + "seed: " + seed + "\n"
                + "cache: false\n"
                + "db: \"" + s.workDir().resolve("ladder-bench-" + stamp) + "\"\n"
                + "stop:\n  max_evaluations: " + maxEvaluations + "\n"
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
        MarkdownReport md = MarkdownReport.of("Multi-fidelity: evolution on fidelity ladders vs plain evolution at equal compute",
                command, machine);
        md.paragraph(String.format(Locale.ROOT, "Campaign (over the quickstart): `%s`. %s; trainer: %s. The budget is the compute of %d "
                        + "trainings at the top fidelity, %,d images trained; plain evolution and each ladder arm (%s) run until "
                        + "they have trained as many (every rung counted; a promotion continues from its checkpoint, so it costs "
                        + "only its new epochs; a network proposed again in a campaign reuses its score, at no cost). Only top-rung "
                        + "scores count. Seeds 1..%d (search and weight init).",
                s.campaignYaml().replace("\n", " "), r.fidelity(), r.backend().replace("\n", "; "), s.plainCandidates(), r.budget(),
                String.join("; ", r.ladders()), r.seedsDone()));
        List<String> arms = r.arms();
        md.heading("Best top-rung validation accuracy vs compute, mean over seeds");
        List<String> header = new ArrayList<>(List.of("compute"));
        arms.forEach(a -> header.add(a));
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> perSeed = new ArrayList<>();
        for (int i = 1; i < GRID; i += 2) {
            List<String> row = new ArrayList<>(List.of((i + 1) * 100 / GRID + " %"));
            List<String> seeds = new ArrayList<>(row);
            for (String arm : arms) {
                row.add(fmt(mean(r.arm(arm), r.budget())[i]));
                List<String> per = new ArrayList<>();
                for (Run run : r.arm(arm)) per.add(fmt(grid(run, r.budget())[i]));
                seeds.add(String.join(" / ", per));
            }
            rows.add(row);
            perSeed.add(seeds);
        }
        md.table(header, rows);
        double target = mean(r.arm("plain"), r.budget())[GRID - 1];
        List<String> lines = new ArrayList<>();
        for (String arm : arms.subList(1, arms.size())) {
            double[] m = mean(r.arm(arm), r.budget());
            int at = -1;
            for (int i = 0; i < GRID && at < 0; i++) if (m[i] >= target) at = (i + 1) * 100 / GRID;
            lines.add(String.format(Locale.ROOT, "- %s: reaches it at %s of the compute (target: ≤ 40 %%); final best at equal "
                            + "compute %s (%s plain's); trainings per seed %s.", arm, at < 0 ? "no point within 100 %" : at + " %",
                    fmt(m[GRID - 1]), m[GRID - 1] >= target ? "at least" : "below",
                    r.arm(arm).stream().map(x -> String.valueOf(x.trainings())).toList()));
        }
        md.paragraph(String.format(Locale.ROOT, "Plain evolution's final best (mean curve): %s, %s trainings per seed.%n%n%s",
                fmt(target), r.arm("plain").stream().map(x -> String.valueOf(x.trainings())).toList(), String.join("\n", lines)));
        md.heading("Per seed (seeds 1 / 2 / …)");
        md.table(header, perSeed);
        md.paragraph("![best top-rung val_acc vs compute](" + pngName + ")");
        return md;
    }

    /** Best-so-far top-rung accuracy over compute: each seed faint, each arm's mean bold; PNG (XChart). */
    public static void plot(Result r, Path png) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Best top-rung val accuracy vs compute (" + r.seedsDone() + " seeds)")
                .xAxisTitle("compute (% of plain evolution's images)").yAxisTitle("best val_acc").build();
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(0);
        double step = 100.0 / GRID;
        Color[] colours = {new Color(40, 90, 200), new Color(200, 60, 30), new Color(30, 150, 70), new Color(150, 60, 170),
                new Color(220, 150, 20)};
        List<String> arms = r.arms();
        for (int a = 0; a < arms.size(); a++) {
            String arm = arms.get(a);
            Color c = colours[a % colours.length];
            int seed = 0;
            for (Run run : r.arm(arm)) {
                double[] curve = grid(run, r.budget());
                seed++;
                if (java.util.Arrays.stream(curve).noneMatch(Double::isFinite)) continue;
                SearchBench.line(chart, arm + " seed " + seed, curve, step)
                        .setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70)).setLineWidth(1.2f).setShowInLegend(false);
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
        try {
            FileTree.delete(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }
}
