package org.anynas.bench.cli;

import org.anynas.cli.Finalists;
import org.anynas.cli.Main;
import org.anynas.cli.SeedRuns;
import org.anynas.cli.SlotBars;
import org.anynas.cli.StopSignal;
import org.anynas.cli.TrainCommand;
import org.anynas.data.Datasets;
import org.anynas.space.UserInputException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.bench.Machine;
import org.anynas.bench.MarkdownReport;
import org.anynas.campaign.Campaign;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.FinalRun;
import org.anynas.campaign.CampaignRunner;
import org.anynas.db.RankedCandidate;
import org.anynas.db.ResultsStore;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;
import org.anynas.space.Architecture;
import org.anynas.space.AtomicFile;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./nas bench final}: does the search pay? At one parameter budget it runs the search (evolution on a fidelity
 * ladder, unless the campaign file says otherwise) and random search at the top fidelity, at equal proxy compute (images
 * trained, every rung counted), then trains each winner and every baseline architecture of the budget with one final
 * recipe and the same seeds ({@code ./nas train --seeds}), and writes the table: params, MACs, test accuracy mean ± sd,
 * and the compute of the search and of the final training.
 *
 * <p>Everything lives in a work folder and is resumable: the two campaigns are ordinary campaigns of one database
 * (resumed where they stopped), a finished search arm leaves {@code <arm>.json}, and each final training is a
 * {@code --seeds} folder whose finished seeds are kept. A re-run with the same settings continues; other settings in the
 * same folder are refused.
 */
@Command(name = "final", description = "Does the search pay? At a parameter budget: the search (evolution on a fidelity "
        + "ladder) and random search at equal proxy compute, then each winner and the baselines of that budget trained with "
        + "one final recipe and the same seeds; a table of test accuracy (mean ± sd), params, MACs and compute. Resumable.")
final class FinalBenchCommand extends BenchCommand.Output implements Callable<Integer> {
    static final List<String> ARMS = List.of("search", "random");

    @Option(names = "--max-params", defaultValue = "100000", description = "The parameter budget of the searches and "
            + "the baselines (default: ${DEFAULT-VALUE}).")
    long maxParams;

    @Option(names = "--max-macs", description = "A MAC budget of the searches and the baselines (default: the campaign's).")
    Long maxMacs;

    @Option(names = "--campaign", paramLabel = "FILE", description = "The search campaign (default: the quickstart's, with "
            + "a fidelity ladder from 1 epoch, eta 3); random search runs it with strategy random and no ladder.")
    Path campaign;

    @Option(names = "--evaluations", defaultValue = "30", description = "Proxy compute of each arm: as many images as this "
            + "many trainings at the top fidelity (default: ${DEFAULT-VALUE}).")
    int evaluations;

    @Option(names = "--epochs", defaultValue = "15", description = "Final training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seeds", defaultValue = "2", description = "Final training seeds per network (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--finalists", paramLabel = "K", defaultValue = "1", description = "Each arm's winner: its best network by "
            + "proxy score (1), or the one of its K best that scores the best validation accuracy in a full training with "
            + "seed 1 (./nas train --finalists K), the others trained with seed 1 only (default: ${DEFAULT-VALUE}).")
    int finalists;

    @Option(names = "--train-size", description = "Final training on only the first N training images (default: all).")
    Integer trainSize;

    @Option(names = "--baselines", paramLabel = "DIR", defaultValue = "examples/architectures", description = "Architecture "
            + "files; those within the budget are trained as baselines (default: ${DEFAULT-VALUE}).")
    Path baselines;

    @Option(names = "--backend", defaultValue = "auto", description = "Final training backend: dl4j, torch or auto "
            + "(as ./nas train; default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--python", defaultValue = "", description = "With the torch backend: the interpreter that has PyTorch.")
    String python;

    @Option(names = "--work", paramLabel = "DIR", description = "The resumable work folder (default: <out>/tmp/final-<max-params>).")
    Path workDir;

    /** The final recipe on top of the campaign's final_training block and fidelity (passed to ./nas train). */
    @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Random crop + flip in the final training (default: on; --no-augment: the campaign's final_training.augment off).")
    boolean augment;

    @Option(names = "--rank-sample", defaultValue = "0", description = "Proxy rank fidelity: also train N networks of the "
            + "random-search arm (every candidate at the campaign's top fidelity), spanning its score range, with the same "
            + "recipe and seed 1, and give the rank correlation (Kendall τ, Spearman ρ, bootstrap intervals) of their proxy "
            + "scores after each rung's epochs with their test accuracy; 0 = off (default: ${DEFAULT-VALUE}; 20 or more "
            + "for a useful interval).")
    int rankSample;

    @Option(names = "--table-only", description = "Write the table from what the work folder holds (finished arms and "
            + "seeds), training nothing: to read a long run while it goes on, or one that was stopped.")
    boolean tableOnly;

    /** A network of the rank sample: its proxy val_acc after each rung's epochs, and its fully trained test accuracy. */
    record Sampled(String hash, Architecture arch, double[] proxy, double testAcc, double seconds) {
    }

    /**
     * A network to train finally: a search winner or a baseline, with where it came from. {@code campaign}: the campaign
     * that found it (its final trainings are recorded there), null for a baseline; {@code folder}: its seeds' folder
     * under {@code final/}.
     */
    record Network(String label, String chosenBy, Architecture arch, double proxyValAcc, String campaign, String folder) {
        Network(String label, String chosenBy, Architecture arch, double proxyValAcc, String campaign) {
            this(label, chosenBy, arch, proxyValAcc, campaign, slug(label));
        }
    }

    /** What a search arm found and spent: its winner and the images / training seconds of its campaign. */
    record ArmResult(String arm, String campaign, String strategy, Network winner, long images, double seconds, int trainings,
                     int candidates) {
    }

    @Override
    public Integer call() {
        if (evaluations < 1) throw new UserInputException("--evaluations must be >= 1, got " + evaluations);
        if (epochs < 1) throw new UserInputException("--epochs must be >= 1, got " + epochs);
        if (seeds < 2) throw new UserInputException("--seeds must be >= 2 (the table compares means by their standard deviations), got " + seeds);
        if (maxParams < 1) throw new UserInputException("--max-params must be >= 1, got " + maxParams);
        if (finalists < 1) throw new UserInputException("--finalists must be >= 1 (1: each arm's best proxy score), got " + finalists);
        if (rankSample < 0 || rankSample == 1 || rankSample == 2) {
            throw new UserInputException("--rank-sample must be 0 (off) or >= 3 networks (20 or more for a useful interval), got " + rankSample);
        }
        if (!Files.isDirectory(baselines)) throw new UserInputException("--baselines " + baselines + " is not a folder of architecture files");
        Path work = (workDir != null ? workDir : work().resolve("final-" + maxParams)).toAbsolutePath().normalize();
        Map<String, CampaignConfig> configs = configs(work);
        List<Network> baselineNets = baselines();
        ObjectNode settings = settings(configs, baselineNets);
        if (tableOnly && !Files.isRegularFile(work.resolve("settings.json"))) {
            throw new UserInputException(work + " holds no final benchmark: --table-only reads a work folder that a run of the "
                    + "same command started");
        }
        claimWork(work, settings);
        Path log = startLog("final");
        PrintStream o = System.out;
        if (!common.quiet) {
            o.printf(Locale.ROOT, "Final benchmark at ≤ %,d params: search and random search, %d top-fidelity trainings of "
                    + "compute each; then the winners and %d baseline(s), %d seeds × %d epochs each (work folder %s, log %s)%n",
                    maxParams, evaluations, baselineNets.size(), seeds, epochs, work, log);
        }
        List<ArmResult> arms = new ArrayList<>();
        for (String arm : ARMS) {
            if (tableOnly && !Files.isRegularFile(work.resolve(arm + ".json"))) {
                throw new UserInputException("the " + arm + " arm in " + work + " has not finished: run without --table-only "
                        + "to continue it");
            }
            ArmResult r = arm(arm, configs.get(arm), work, o);
            if (r == null) return 130;
            arms.add(r);
        }
        CampaignConfig base = configs.get("search");
        // with finalists, each arm's winner is chosen (and trained, every seed) by ./nas train --finalists
        List<Finalists.Choice> choices = new ArrayList<>();
        Path finalistsDir = work.resolve("final").resolve(FINALISTS);
        if (finalists > 1) {
            for (int i = 0; i < arms.size(); i++) {
                ArmResult a = arms.get(i);
                if (!tableOnly) {
                    int code = trainFinalists(a, base, finalistsDir, o);
                    if (code != 0) return code;
                }
                Finalists.Choice c = Finalists.read(finalistsDir, a.campaign()).orElse(null);
                if (c == null) continue; // --table-only before the choice: the arm's row stays empty
                choices.add(c);
                Finalists.Finalist f = c.chosenOne();
                arms.set(i, new ArmResult(a.arm(), a.campaign(), a.strategy(), new Network(a.winner().label(),
                        a.strategy() + String.format(Locale.ROOT, ", finalist %d of %d", c.chosen() + 1, c.finalists().size()),
                        c.arch(), f.searchValAcc(), a.campaign(), FINALISTS + "/" + f.folder()), a.images(), a.seconds(),
                        a.trainings(), a.candidates()));
            }
        }
        // the networks to train, each once: a network both arms found is trained for both
        Map<String, Network> nets = new LinkedHashMap<>();
        for (ArmResult a : arms) {
            String hash = ArchitectureJson.hash(a.winner().arch());
            Network seen = nets.get(hash);
            nets.put(hash, seen == null ? a.winner()
                    : new Network(seen.label(), seen.chosenBy() + " and " + a.winner().chosenBy(), seen.arch(), seen.proxyValAcc(),
                    seen.campaign(), seen.folder()));
        }
        for (Network b : baselineNets) nets.putIfAbsent(ArchitectureJson.hash(b.arch()), b);
        for (Network n : nets.values()) {
            if (tableOnly) break;
            if (n.folder().startsWith(FINALISTS + "/")) continue; // trained with its finalists
            int code = trainFinal(n, base, work, o);
            if (code != 0) return code;
        }
        List<Sampled> sample = List.of();
        if (rankSample > 0 && !tableOnly) {
            sample = rankSample(configs.get("random"), base, work, o);
            if (sample == null) return 130;
        }
        String stem = "final-" + maxParams + "-" + MarkdownReport.dateStamp();
        MarkdownReport md = report(arms, List.copyOf(nets.values()), base, work);
        if (finalists > 1) finalistsSection(md, choices, finalistsDir);
        if (!sample.isEmpty()) {
            Path png = out.resolve(stem + "-rank.png");
            rankSection(md, sample, base.ladder().rungs(), png);
            publish(md, stem, png);
        } else {
            publish(md, stem);
        }
        return 0;
    }

    /** The two arms' campaigns: the search as given (a ladder by default), random search without a ladder. */
    private Map<String, CampaignConfig> configs(Path work) {
        String db = "db: \"" + work.resolve("search") + "\"\n";
        String common = "budget:\n  max_params: " + maxParams + "\n" + (maxMacs != null ? "  max_macs: " + maxMacs + "\n" : "")
                + "stop:\n  max_evaluations: 100000\n  max_generations: 0\n  max_minutes: 0\n  steady_generations: 0\n"
                + "cache: false\n" + db; // the compute budget stops the arms; no scores shared between them
        CampaignConfig search = campaign != null
                ? CampaignConfig.load(campaign, common + "name: final-search\n")
                : CampaignConfig.quickstart(benchData().yaml() + common + "name: final-search\n"
                + "multi_fidelity: {min_epochs: 1, eta: 3, rule: asha}\n", "final benchmark");
        // random search: the same campaign, every candidate at the top fidelity
        CampaignConfig random = search.with("name: final-random\nstrategy: random\nmulti_fidelity: {min_epochs: 0, max_epochs: 0}\n",
                "final benchmark (random)");
        Map<String, CampaignConfig> out = new LinkedHashMap<>();
        out.put("search", search);
        out.put("random", random);
        return out;
    }

    /**
     * The architecture files of --baselines within the parameter budget (and --max-macs when given: the campaign's own
     * MAC budget constrains only the search, so a baseline may spend more), fewest parameters first.
     */
    private List<Network> baselines() {
        List<Network> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(baselines)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Architecture a = ArchitectureJson.read(f);
                var g = a.graph();
                if (g.params() > maxParams || maxMacs != null && g.macs() > maxMacs) continue;
                out.add(new Network(f.getFileName().toString().replace(".json", ""), "hand-designed", a, Double.NaN, null));
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read --baselines " + baselines + ": " + e.getMessage());
        }
        out.sort(java.util.Comparator.comparingLong(n -> n.arch().graph().params()));
        return out;
    }

    /** What must not change between runs sharing a work folder. */
    private ObjectNode settings(Map<String, CampaignConfig> configs, List<Network> baselineNets) {
        ObjectNode s = Json.json().createObjectNode();
        s.put("max_params", maxParams).put("evaluations", evaluations).put("epochs", epochs).put("seeds", seeds)
                .put("train_size", trainSize == null ? 0 : trainSize).put("augment", augment).put("backend", backend);
        if (finalists > 1) s.put("finalists", finalists); // absent: 1, as work folders from before the option hold it
        // not --rank-sample: the sample only adds trainings (kept per network), so a re-run may ask for a larger one
        configs.forEach((k, c) -> s.put(k, c.toYaml()));
        var b = s.putArray("baselines");
        baselineNets.forEach(n -> b.add(ArchitectureJson.hash(n.arch())));
        return s;
    }

    /**
     * The first setting that differs, as "key: stored there, asked here"; a campaign's YAML by its first differing line (a
     * newer AnyNAS with a new campaign default differs there, and the user should see which).
     */
    static String firstDifference(JsonNode stored, JsonNode asked) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        stored.fieldNames().forEachRemaining(keys::add);
        asked.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode was = stored.path(k), now = asked.path(k);
            if (was.equals(now)) continue;
            if (was.isTextual() && now.isTextual()) {
                List<String> a = was.asText().lines().toList(), b = now.asText().lines().toList();
                for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                    String x = i < a.size() ? a.get(i) : "(none)", y = i < b.size() ? b.get(i) : "(none)";
                    if (!x.equals(y)) {
                        return k + " campaign (as stored, defaults filled in) line " + (i + 1) + ": '" + x.strip() + "' there, '"
                                + y.strip() + "' here";
                    }
                }
            }
            return k + ": " + (was.isMissingNode() ? "(none)" : was) + " there, " + (now.isMissingNode() ? "(none)" : now) + " here";
        }
        return "none found";
    }

    /** Creates the work folder with its settings, or refuses one that holds a run of other settings. */
    private static void claimWork(Path work, ObjectNode settings) {
        Path file = work.resolve("settings.json");
        try {
            if (Files.isRegularFile(file)) {
                JsonNode stored = Json.json().readTree(file.toFile());
                // compared as read back: a long written is an int read
                JsonNode asked = Json.json().readTree(settings.toString());
                if (!stored.equals(asked)) {
                    throw new UserInputException(work + " holds a final benchmark with other settings (" + firstDifference(stored, asked)
                            + "): choose another --work, or delete that folder to start again");
                }
                return;
            }
            if (Files.isDirectory(work)) {
                try (Stream<Path> s = Files.list(work)) {
                    if (s.findAny().isPresent()) {
                        throw new UserInputException(work + " is not empty and holds no final benchmark: choose another --work");
                    }
                }
            }
            Files.createDirectories(work);
            AtomicFile.write(file, settings.toPrettyString() + "\n");
        } catch (IOException e) {
            throw new UserInputException("cannot use " + work + " as the work folder: " + e.getMessage());
        }
    }

    /**
     * One search arm, run (or resumed) until it has trained as many images as {@code evaluations} trainings at the top
     * fidelity, or read back from its {@code <arm>.json} when an earlier run finished it. Null when Ctrl-C stopped it.
     */
    private ArmResult arm(String arm, CampaignConfig config, Path work, PrintStream o) {
        Path marker = work.resolve(arm + ".json");
        if (Files.isRegularFile(marker)) {
            ArmResult r = readArm(marker);
            if (!common.quiet) {
                o.printf(Locale.ROOT, "%s: finished in an earlier run, winner val_acc %.4f (%s)%n", arm, r.winner().proxyValAcc(),
                        r.winner().arch().oneLine());
            }
            return r;
        }
        List<Integer> rungs = config.ladder().rungs();
        int top = config.fidelity().epochs();
        long perEpoch = config.fidelity().trainSize();
        long budget = (long) evaluations * top * perEpoch;
        long[] images = {0};
        Map<Long, Integer> epochsOf = new HashMap<>();
        boolean terminal = SlotBars.terminal();
        SearchListener listener = new SearchListener() {
            double best = Double.NaN;
            long shown = -1;

            @Override
            public synchronized void visited(Visit v, int done, int max) {
                // a promotion continues from the rung below's checkpoint: it costs only its new epochs
                int below = v.rung() > 0 && v.rung() <= rungs.size() - 1 ? rungs.get(v.rung() - 1) : 0;
                epochsOf.put(v.candidateId(), v.epochs());
                if (!v.cached()) images[0] += (long) (v.epochs() - below) * perEpoch;
                if (v.epochs() == top && v.result().ok() && !(v.result().valAccuracy() <= best)) best = v.result().valAccuracy();
                if (common.quiet) return;
                // on a terminal one line redrawn; in a file a line per tenth of the budget
                long tenth = Math.min(10, 10 * images[0] / budget);
                if (!terminal && tenth <= shown) return;
                shown = tenth;
                o.printf(Locale.ROOT, "%s%-6s: %3d candidates, %,d of %,d images trained, best top-rung val_acc %.4f%s",
                        terminal ? "\r" : "", arm, done, images[0], budget, best, terminal ? "   " : "\n");
                o.flush();
            }
        };
        StopSignal stop = StopSignal.install();
        CampaignRunner.Outcome outcome;
        try {
            boolean exists;
            try (ResultsStore store = Files.isRegularFile(ResultsStore.normalise(config.dbPath()))
                    ? ResultsStore.openExisting(config.dbPath()) : null) {
                exists = store != null && store.campaign(config.name()).isPresent();
            }
            Campaign.Builder b = exists ? Campaign.resuming(config.name(), config.dbPath()) : Campaign.builder(config);
            outcome = b.listener(listener).stop(() -> stop.requested() || images[0] >= budget).build().run();
        } finally {
            stop.release();
            if (!common.quiet && terminal) o.println();
        }
        if (stop.requested()) {
            o.println("Stopped: re-run the same command to continue (finished work is kept in " + work + ")");
            return null;
        }
        ArmResult r = finishedArm(arm, config, outcome, images[0]);
        ObjectNode m = Json.json().createObjectNode();
        m.put("arm", arm).put("campaign", r.campaign()).put("strategy", r.strategy()).put("images", r.images())
                .put("seconds", r.seconds()).put("trainings", r.trainings()).put("candidates", r.candidates())
                .put("winner_val_acc", r.winner().proxyValAcc()).put("winner", ArchitectureJson.write(r.winner().arch()));
        AtomicFile.write(marker, m.toPrettyString() + "\n");
        return r;
    }

    /** The arm's winner by the one network score (top rung first) and what its campaign spent. */
    private static ArmResult finishedArm(String arm, CampaignConfig config, CampaignRunner.Outcome outcome, long images) {
        try (ResultsStore store = ResultsStore.openExisting(config.dbPath())) {
            List<RankedCandidate> top = store.top(1, config.name(), "val_acc");
            if (top.isEmpty()) throw new UserInputException("the " + arm + " campaign has no successful candidate: see its log");
            RankedCandidate best = top.get(0);
            Architecture arch = store.architecture(best.archHash()).orElseThrow();
            var q = store.readOnlyQuery("SELECT COALESCE(SUM(train_seconds), 0), COUNT(*) FROM results WHERE campaign = '"
                    + config.name() + "' AND NOT cached");
            double seconds = ((Number) q.rows().get(0).get(0)).doubleValue();
            int trainings = ((Number) q.rows().get(0).get(1)).intValue();
            String strategy = config.strategy().key() + (config.ladder().enabled() ? " on a ladder " + config.ladder().oneLine() : "");
            String label = arm.equals("search") ? "search winner" : "random-search winner";
            return new ArmResult(arm, config.name(), strategy, new Network(label, strategy, arch, best.valAcc(), config.name()), images, seconds,
                    trainings, outcome.visits().size());
        }
    }

    private static ArmResult readArm(Path marker) {
        try {
            JsonNode m = Json.json().readTree(marker.toFile());
            Architecture arch = ArchitectureJson.read(m.path("winner").asText());
            String arm = m.path("arm").asText();
            String label = arm.equals("search") ? "search winner" : "random-search winner";
            return new ArmResult(arm, m.path("campaign").asText(), m.path("strategy").asText(),
                    new Network(label, m.path("strategy").asText(), arch, m.path("winner_val_acc").asDouble(),
                            m.path("campaign").asText()),
                    m.path("images").asLong(), m.path("seconds").asDouble(), m.path("trainings").asInt(), m.path("candidates").asInt());
        } catch (IOException | RuntimeException e) {
            throw new UserInputException(marker + " is unreadable (" + e.getMessage() + "): delete it to run that search arm again");
        }
    }

    /** Where ./nas train --finalists trains the arms' finalists, one folder per network, shared by the arms. */
    static final String FINALISTS = "finalists";

    /**
     * The arm's finalists: {@code ./nas train --finalists} over its campaign into {@code dir} (every seed of the chosen
     * one; networks the other arm ranked too are kept from its run). The exit code of that command.
     */
    private int trainFinalists(ArmResult a, CampaignConfig base, Path dir, PrintStream o) {
        if (!common.quiet) o.printf(Locale.ROOT, "%nFinalists of the %s arm: its %d best networks%n", a.arm(), finalists);
        List<String> args = trainArgs(List.of("--finalists", String.valueOf(finalists), "--campaign", a.campaign(), "--db",
                base.dbPath().toString()), dir, base, seeds);
        int code = Main.commandLine().execute(args.toArray(String[]::new));
        if (code == 130) o.println("Stopped: re-run the same command to continue (finished work is kept in " + dir.getParent() + ")");
        return code;
    }

    /**
     * Each arm's finalists: search score, full-training validation accuracy and seconds (seed 1), which was chosen; and
     * the final-training compute the choice cost beyond the chosen network's seeds.
     */
    private void finalistsSection(MarkdownReport md, List<Finalists.Choice> choices, Path dir) {
        md.heading("Finalists: each arm's winner chosen by full training");
        List<List<String>> rows = new ArrayList<>();
        List<String> costs = new ArrayList<>();
        for (Finalists.Choice c : choices) {
            double others = 0;
            int n = 0;
            for (int i = 0; i < c.finalists().size(); i++) {
                Finalists.Finalist f = c.finalists().get(i);
                double secs = SeedRuns.finished(dir.resolve(f.folder()).resolve("seed-" + c.firstSeed()))
                        .map(FinalRun::seconds).orElse(Double.NaN);
                if (i != c.chosen()) {
                    others += secs;
                    n++;
                }
                rows.add(List.of(c.campaign(), String.valueOf(i + 1), String.valueOf(f.candidate()),
                        String.format(Locale.ROOT, "%,d", f.params()), String.format(Locale.ROOT, "%.4f", f.searchValAcc()),
                        String.format(Locale.ROOT, "%.4f", f.valAcc()), String.valueOf(f.bestEpoch()),
                        String.format(Locale.ROOT, "%.0f", secs), i == c.chosen() ? "chosen" : ""));
            }
            costs.add(String.format(Locale.ROOT, "%s %d × %d epochs, %.0f s", c.campaign(), n, epochs, others));
        }
        md.paragraph(String.format(Locale.ROOT, "Each arm's %d best networks by proxy score (db top) were trained with the recipe "
                + "above and seed 1; the one with the highest validation accuracy at its best epoch is the arm's winner and was "
                + "trained with the other seeds (`./nas train --finalists %d`). The test set chose nothing. The choice cost the "
                + "trainings of the networks not chosen, beyond the final compute above (a network both arms ranked is trained "
                + "once and counted in each): %s.", finalists, finalists, String.join("; ", costs)));
        md.table(List.of("campaign", "proxy rank", "candidate", "params", "proxy val_acc", "val_acc, full training (seed 1)",
                "best epoch", "final s (seed 1)", ""), rows);
    }

    /** The final training of one network: ./nas train --seeds into {@code final/<label>/}, which keeps finished seeds. */
    private int trainFinal(Network n, CampaignConfig base, Path work, PrintStream o) {
        Path arch = writeNetwork(work, slug(n.label()), n.arch());
        if (!common.quiet) o.printf(Locale.ROOT, "%nFinal training: %s (%s)%n", n.label(), n.chosenBy());
        // a winner trains as its campaign's candidate, so that the campaign records its final training
        List<String> source = n.campaign() == null ? List.of("--arch", arch.toString())
                : List.of("--candidate", String.valueOf(candidateOf(base.dbPath(), n.campaign(), n.arch())), "--db", base.dbPath().toString());
        List<String> args = trainArgs(source, work.resolve("final").resolve(slug(n.label())), base, seeds);
        return Main.commandLine().execute(args.toArray(String[]::new));
    }

    /** The candidate of {@code campaign} that holds the network's score there. */
    private static long candidateOf(Path db, String campaign, Architecture arch) {
        String hash = ArchitectureJson.hash(arch);
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            return store.networkScores(List.of(campaign)).stream().filter(n -> n.hash().equals(hash)).findFirst()
                    .orElseThrow(() -> new UserInputException("campaign " + campaign + " in " + db + " has no score of " + arch.oneLine()))
                    .candidateId();
        }
    }

    private static Path writeNetwork(Path work, String name, Architecture a) {
        Path nets = work.resolve("networks");
        Path arch = nets.resolve(name + ".json");
        try {
            Files.createDirectories(nets);
            if (!Files.isRegularFile(arch)) AtomicFile.write(arch, ArchitectureJson.write(a));
        } catch (IOException e) {
            throw new UserInputException("cannot write " + arch + ": " + e.getMessage());
        }
        return arch;
    }

    /** ./nas train's arguments for the one final recipe: the campaign's optimizer settings and final_training block. */
    private List<String> trainArgs(List<String> source, Path out, CampaignConfig base, int seedCount) {
        var f = base.fidelity();
        var ft = base.finalTraining();
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(source);
        args.addAll(List.of("--out", out.toString(),
                "--seeds", String.valueOf(seedCount), "--seed", "1", "--epochs", String.valueOf(epochs),
                augment ? "--augment" : "--no-augment", "--erasing", String.valueOf(ft.erasing()),
                "--label-smoothing", String.valueOf(ft.labelSmoothing()), "--warmup-epochs", String.valueOf(ft.warmupEpochs()),
                "--ema", String.valueOf(ft.ema()), "--batch", String.valueOf(f.batchSize()),
                "--lr", String.valueOf(f.learningRate()), "--optimizer", f.optimizer().name().toLowerCase(Locale.ROOT),
                "--weight-decay", String.valueOf(f.weightDecay()), "--dataset", base.dataset(), "--backend", backend));
        if (augment && !ft.flip()) args.add("--no-flip");
        if (base.dataDirPath() != null) args.addAll(List.of("--data-dir", base.dataDirPath().toString()));
        // one hold-out for every network: a winner (--candidate) would otherwise take its campaign's and a baseline
        // (--arch) train's default, which differ on a built-in dataset (10,000 and 5,000 images)
        if (base.validationSize() > 0) args.addAll(List.of("--val-size", String.valueOf(base.validationSize())));
        else if (Datasets.isBuiltIn(base.dataset())) args.addAll(List.of("--val-size", String.valueOf(TrainCommand.ARCH_VAL_SIZE)));
        if (trainSize != null) args.addAll(List.of("--train-size", String.valueOf(trainSize)));
        if (!python.isBlank()) args.addAll(List.of("--python", python));
        if (common.quiet) args.add("--quiet");
        return args;
    }

    /**
     * The rank sample: {@code --rank-sample} networks of the random arm, evenly spaced in the order of their proxy score
     * (the worst and the best included), each trained once (seed 1) with the final recipe; a network the table already
     * trained keeps its seed 1. Resumable: a finished network leaves {@code rank/<hash>.json}. Null when Ctrl-C stopped it.
     */
    private List<Sampled> rankSample(CampaignConfig random, CampaignConfig base, Path work, PrintStream o) {
        List<Integer> rungs = base.ladder().rungs();
        List<ResultsStore.StoredCandidate> pool = new ArrayList<>();
        try (ResultsStore store = ResultsStore.openExisting(random.dbPath())) {
            long id = store.campaign(random.name()).orElseThrow().id();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (ResultsStore.StoredCandidate c : store.storedCandidates(id)) {
                if (c.evaluation().ok() && !c.candidate().cached() && seen.add(c.candidate().archHash())) pool.add(c);
            }
        }
        pool.sort(java.util.Comparator.comparingDouble((ResultsStore.StoredCandidate c) -> c.evaluation().result().valAccuracy())
                .thenComparingLong(c -> c.candidate().id()));
        int n = Math.min(rankSample, pool.size());
        if (n < rankSample && !common.quiet) {
            o.printf(Locale.ROOT, "Rank sample: the random arm scored %d distinct networks, fewer than --rank-sample %d: all of them%n",
                    pool.size(), rankSample);
        }
        List<Sampled> out = new ArrayList<>();
        Path dir = work.resolve("rank");
        for (int i = 0; i < n; i++) {
            ResultsStore.StoredCandidate c = pool.get(n == 1 ? 0 : (int) Math.round((double) i * (pool.size() - 1) / (n - 1)));
            String hash = c.candidate().archHash();
            List<Double> curve = c.evaluation().result().valAccuracyCurve();
            double[] proxy = rungs.stream().mapToDouble(e -> e <= curve.size() ? curve.get(e - 1) : Double.NaN).toArray();
            Path marker = dir.resolve(hash + ".json");
            double[] r = readSample(marker);
            if (r == null) r = trainedSeedOne(work, hash);
            if (r == null) {
                if (!common.quiet) o.printf(Locale.ROOT, "%nRank sample %d of %d: %s%n", i + 1, n, c.architecture().oneLine());
                List<String> args = trainArgs(List.of("--candidate", String.valueOf(c.candidate().id()), "--db",
                        random.dbPath().toString()), dir.resolve(hash), base, 1);
                args.add("--force"); // a folder an interrupted run left holds no finished training: its marker says so
                CommandLine cl = Main.commandLine();
                int code = cl.execute(args.toArray(String[]::new));
                FinalRun run = ((TrainCommand) cl.getSubcommands().get("train").getCommand()).last();
                if (code != 0 || run == null) {
                    if (code == 130) o.println("Stopped: re-run the same command to continue (finished work is kept in " + work + ")");
                    return code == 130 ? null : fail(code);
                }
                r = new double[]{run.testAccuracy(), run.seconds()};
                ObjectNode m = Json.json().createObjectNode();
                m.put("hash", hash).put("test_acc", run.testAccuracy()).put("val_acc", run.valAccuracy())
                        .put("train_seconds", run.seconds());
                AtomicFile.write(marker, m.toPrettyString() + "\n");
            }
            out.add(new Sampled(hash, c.architecture(), proxy, r[0], r[1]));
        }
        return out;
    }

    private static List<Sampled> fail(int code) {
        throw new UserInputException("a final training of the rank sample failed (exit " + code + "); see the lines above");
    }

    /** [test accuracy, seconds] of a finished rank-sample network, else null. */
    private static double[] readSample(Path marker) {
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.isRegularFile(marker)) return null;
            JsonNode m = Json.json().readTree(marker.toFile());
            return new double[]{m.path("test_acc").asDouble(Double.NaN), m.path("train_seconds").asDouble(Double.NaN)};
        } catch (IOException e) {
            return null; // unreadable: trained again
        }
    }

    /** Seed 1 of a network the table trained (a winner, a finalist or a baseline), as [test accuracy, seconds], else null. */
    private static double[] trainedSeedOne(Path work, String hash) {
        Path finals = work.resolve("final");
        if (!Files.isDirectory(finals)) return null;
        Path finalist = finals.resolve(FINALISTS).resolve(Finalists.folderName(hash)).resolve("seed-1");
        var f1 = SeedRuns.finished(finalist);
        if (f1.isPresent()) return new double[]{f1.get().testAccuracy(), f1.get().seconds()};
        try (Stream<Path> dirs = Files.list(finals)) {
            for (Path d : dirs.toList()) {
                Path arch = work.resolve("networks").resolve(d.getFileName() + ".json");
                if (!Files.isRegularFile(arch) || !ArchitectureJson.hash(ArchitectureJson.read(arch)).equals(hash)) continue;
                return SeedRuns.finished(d.resolve("seed-1")).map(f -> new double[]{f.testAccuracy(), f.seconds()}).orElse(null);
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** "How far to trust the proxy": per rung, the rank correlation of the proxy score with the test accuracy; a scatter plot. */
    private void rankSection(MarkdownReport md, List<Sampled> sample, List<Integer> rungs, Path png) {
        md.heading("How far to trust the proxy: rank correlation with full training");
        double[] test = sample.stream().mapToDouble(Sampled::testAcc).toArray();
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < rungs.size(); k++) {
            int rung = k;
            double[] proxy = sample.stream().mapToDouble(x -> x.proxy()[rung]).toArray();
            var rc = org.anynas.cli.report.RankCorrelation.of(proxy, test);
            rows.add(List.of(String.format(Locale.ROOT, "val_acc after %d epoch%s%s", rungs.get(k), rungs.get(k) == 1 ? "" : "s",
                            k == rungs.size() - 1 ? " (the top fidelity)" : " (rung " + k + ")"), String.valueOf(rc.n()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", rc.kendall(), rc.kendallLow(), rc.kendallHigh()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", rc.spearman(), rc.spearmanLow(), rc.spearmanHigh())));
        }
        md.paragraph(String.format(Locale.ROOT, "%d networks of the random-search arm, evenly spaced in the order of their proxy "
                + "score (the worst and the best included), each trained once (seed 1) with the recipe above. The proxy score "
                + "after a rung's epochs is the network's validation accuracy at that epoch of its top-fidelity training, which "
                + "is what the ladder's rung measures (one schedule planned for the top rung, the same seed). 95 %% "
                + "percentile-bootstrap intervals over the networks.", sample.size()));
        md.table(List.of("proxy score", "n", "Kendall τ", "Spearman ρ"), rows);
        List<List<String>> nets = new ArrayList<>();
        for (Sampled x : sample) {
            List<String> row = new ArrayList<>(List.of(x.arch().oneLine().replace("|", "\\|"),
                    String.format(Locale.ROOT, "%,d", x.arch().graph().params())));
            for (double p : x.proxy()) row.add(String.format(Locale.ROOT, "%.4f", p));
            row.add(String.format(Locale.ROOT, "%.4f", x.testAcc()));
            row.add(String.format(Locale.ROOT, "%.0f", x.seconds()));
            nets.add(row);
        }
        List<String> header = new ArrayList<>(List.of("network", "params"));
        rungs.forEach(e -> header.add("val_acc @ " + e + " ep"));
        header.addAll(List.of("test acc", "final s"));
        md.table(header, nets);
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(760).height(520)
                .title("Proxy score vs fully trained test accuracy (" + sample.size() + " networks)")
                .xAxisTitle("proxy val_acc").yAxisTitle("test accuracy after " + epochs + " epochs").build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter)
                .setChartBackgroundColor(java.awt.Color.WHITE).setPlotBackgroundColor(java.awt.Color.WHITE)
                .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE).setMarkerSize(8);
        chart.getStyler().setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("0.000");
        for (int k = 0; k < rungs.size(); k++) {
            int rung = k;
            chart.addSeries("after " + rungs.get(k) + " epoch" + (rungs.get(k) == 1 ? "" : "s"),
                    sample.stream().mapToDouble(x -> x.proxy()[rung]).toArray(), test);
        }
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            org.knowm.xchart.BitmapEncoder.saveBitmap(chart, png.toString(), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UserInputException("cannot write " + png + ": " + e.getMessage());
        }
        md.paragraph("![proxy score vs test accuracy](" + png.getFileName() + ")");
    }

    static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** [test accuracies, training seconds] of a network's finished seeds. */
    private double[][] seedResults(Path work, Network n) {
        Path dir = work.resolve("final").resolve(n.folder());
        List<double[]> rows = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            SeedRuns.finished(dir.resolve("seed-" + (1 + k))).ifPresent(f -> rows.add(new double[]{f.testAccuracy(), f.seconds()}));
        }
        return new double[][]{rows.stream().mapToDouble(r -> r[0]).toArray(), rows.stream().mapToDouble(r -> r[1]).toArray()};
    }

    private MarkdownReport report(List<ArmResult> arms, List<Network> nets, CampaignConfig base, Path work) {
        String command = "./nas bench final --max-params " + maxParams + (maxMacs != null ? " --max-macs " + maxMacs : "")
                + (campaign != null ? " --campaign " + campaign : "") + " --evaluations " + evaluations + " --epochs " + epochs
                + " --seeds " + seeds + (finalists > 1 ? " --finalists " + finalists : "")
                + (trainSize != null ? " --train-size " + trainSize : "") + (augment ? "" : " --no-augment")
                + " --backend " + backend;
        MarkdownReport md = MarkdownReport.of("Does the search pay? Final training at ≤ " + String.format(Locale.ROOT, "%,d", maxParams)
                + " parameters", command, Machine.current());
        var f = base.fidelity();
        var ft = base.finalTraining();
        md.paragraph(String.format(Locale.ROOT, "Dataset %s. **Search** (%s) and **random search** (the same campaign, strategy "
                        + "random, every candidate at the top fidelity) at equal proxy compute: %d trainings at the top fidelity "
                        + "(%s), %,d images each arm, every rung counted. Each winner (%s) and each baseline of `%s` within the budget is then "
                        + "trained with one recipe: "
                        + "%d epochs on %s training images, %s, batch %d, lr %s cosine, weight decay %s, %saugmentation, "
                        + "label smoothing %s, erasing %s, warm-up %d, EMA %s; seeds 1…%d; the best epoch is chosen on validation "
                        + "and the test set measured once per seed.", base.dataset(), arms.get(0).strategy(), evaluations,
                f.oneLine().replaceAll(", seed \\d+$", ""), (long) evaluations * f.epochs() * f.trainSize(),
                finalists > 1 ? "of the arm's " + finalists + " best networks at the top rung by proxy validation accuracy, the "
                        + "one with the best validation accuracy in a full training with seed 1; see Finalists"
                        : "the best network at the top rung by validation accuracy", baselines, epochs, trainSize != null ? String.format(Locale.ROOT, "%,d", trainSize) : "all", f.optimizer().name().toLowerCase(Locale.ROOT),
                f.batchSize(), f.learningRate(), f.weightDecay(), augment ? "crop + flip " : "no ", ft.labelSmoothing(), ft.erasing(),
                ft.warmupEpochs(), ft.ema(), seeds));
        md.heading("Search arms");
        List<List<String>> armRows = new ArrayList<>();
        for (ArmResult a : arms) {
            armRows.add(List.of(a.arm(), a.strategy(), String.valueOf(a.candidates()), String.valueOf(a.trainings()),
                    String.format(Locale.ROOT, "%,d", a.images()), String.format(Locale.ROOT, "%.0f", a.seconds()),
                    a.winner().arch().oneLine().replace("|", "\\|"), String.format(Locale.ROOT, "%.4f", a.winner().proxyValAcc())));
        }
        md.table(List.of("arm", "strategy", "candidates", "trainings", "images trained", "training s", "winner",
                "winner's proxy val_acc"), armRows);
        md.heading("Final training");
        List<String> header = List.of("network", "chosen by", "params", "MACs", "test acc (mean ± sd)", "per seed",
                "final compute");
        List<List<String>> rows = new ArrayList<>();
        Map<String, double[]> means = new LinkedHashMap<>();
        for (Network n : nets) {
            double[][] r = seedResults(work, n);
            double[] ms = SeedRuns.meanSd(r[0]);
            means.put(n.label(), new double[]{ms[0], ms[1], r[0].length});
            double secs = java.util.Arrays.stream(r[1]).sum();
            rows.add(List.of(n.label(), n.chosenBy(), String.format(Locale.ROOT, "%,d", n.arch().graph().params()),
                    String.format(Locale.ROOT, "%.2fM", n.arch().graph().macs() / 1e6),
                    r[0].length == 0 ? "–" : String.format(Locale.ROOT, "%.4f ± %s", ms[0], r[0].length < 2 ? "–"
                            : String.format(Locale.ROOT, "%.4f", ms[1])),
                    String.join(" / ", java.util.Arrays.stream(r[0]).mapToObj(x -> String.format(Locale.ROOT, "%.4f", x)).toList()),
                    String.format(Locale.ROOT, "%d × %d epochs, %.0f s", r[0].length, epochs, secs)));
        }
        md.table(header, rows);
        List<String> unfinished = means.entrySet().stream().filter(e -> e.getValue()[2] < seeds)
                .map(e -> String.format(Locale.ROOT, "%s (%d of %d seeds)", e.getKey(), (int) e.getValue()[2], seeds)).toList();
        if (!unfinished.isEmpty()) {
            md.paragraph("**Not finished** when this table was written: " + String.join(", ", unfinished)
                    + "; the same command continues them.");
        }
        double[] winner = means.get("search winner");
        List<String> lines = new ArrayList<>();
        if (winner != null && winner[2] > 0) {
            for (var e : means.entrySet()) {
                if (e.getKey().equals("search winner") || e.getValue()[2] == 0) continue; // nothing finished to compare
                double d = winner[0] - e.getValue()[0];
                double sd = Math.max(Double.isNaN(winner[1]) ? 0 : winner[1], Double.isNaN(e.getValue()[1]) ? 0 : e.getValue()[1]);
                lines.add(String.format(Locale.ROOT, "- against %s: %+.4f (%s the larger standard deviation, %.4f)%s", e.getKey(), d,
                        Math.abs(d) > sd ? (d > 0 ? "ahead by more than" : "behind by more than") : "within", sd,
                        winner[2] < seeds || e.getValue()[2] < seeds ? "; not all seeds finished" : ""));
            }
        }
        if (!lines.isEmpty()) md.heading("The search winner's test accuracy against each").paragraph(String.join("\n", lines));
        md.paragraph("Search compute: candidates proposed, trainings run (a promotion is one), images trained (each rung's new "
                + "epochs) and the seconds the trainings took; final compute: seeds × epochs and the seconds of the seeds' "
                + "epochs (training and validation). "
                + "Work folder: `" + work + "` (search databases, the networks as architecture files, each seed's model).");
        return md;
    }

}
