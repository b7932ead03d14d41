package org.anynas.cli;

import org.anynas.db.NetworkScore;
import org.anynas.db.ResultsStore;
import org.anynas.trainer.Augmentation;
import org.anynas.dl4j.ExportFolder;
import org.anynas.trainer.TrainingRecipe;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageOptions;
import org.anynas.torch.TorchSettings;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.FinalRun;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "train", description = "Train one architecture fully: all training images, many epochs, optional "
        + "augmentation; keeps the best epoch on validation, measures the test set once and saves the model.")
public final class TrainCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--arch", paramLabel = "FILE", description = "An architecture JSON file (./nas space sample, or an export's architecture.json).")
        Path arch;

        @Option(names = "--candidate", paramLabel = "ID", description = "A candidate of a results database (see ./nas db top); "
                + "its campaign's dataset, split and optimizer settings are the defaults.")
        Long candidate;

        @Option(names = "--finalists", paramLabel = "K", description = "The K best networks of a results database (./nas db "
                + "top; --campaign, --db): each is trained with the first seed, the one with the best validation accuracy is "
                + "chosen and only it is trained with the other seeds. The proxy score ranks good networks only roughly; this "
                + "lets full training decide, and never the test set.")
        Integer finalists;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(names = "--db", paramLabel = "PATH", description = "With --candidate or --finalists: the database (default: the "
            + "newest under ./anynas-runs).")
    Path db;

    @Option(names = "--campaign", paramLabel = "NAME", description = "With --finalists: the campaign whose networks compete "
            + "(default: every campaign of the database).")
    String campaign;

    @Option(names = "--dataset", paramLabel = "NAME|FOLDER|CSV", description = "fashion-mnist, mnist, cifar-10, or your own images: "
            + "a folder of class folders, or a CSV (default: the campaign's, else fashion-mnist).")
    String dataset;

    @Option(names = "--image-size", paramLabel = "HxW", description = "With a folder: the size images are made (default: the "
            + "campaign's, else the architecture's input size).")
    String imageSize;

    @Option(names = "--resize", paramLabel = "RULE", description = "With a folder: stretch, crop or pad (default: the campaign's, else stretch).")
    String resize;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the dataset files are (default: standard places).")
    Path dataDir;

    // the final recipe's options default to the campaign's final_training keys (campaign-defaults.yaml's for --arch)
    @Option(names = "--epochs", description = "Epochs (default: the campaign's final_training.epochs, else 30).")
    Integer epochs;

    @Option(names = "--augment", negatable = true, description = "Random crop with padding + horizontal flip on training "
            + "batches; --no-augment: none (default: the campaign's final_training.augment).")
    Boolean augment;

    @Option(names = "--no-flip", description = "With --augment: crop only (for digits, which flipping changes).")
    boolean noFlip;

    @Option(names = "--erasing", paramLabel = "P", description = "Random erasing (Zhong et al., torchvision's rule: area "
            + "2-33 %%, aspect 0.3-3.3) of each training image with probability P, 0 = off (default: final_training.erasing).")
    Double erasing;

    @Option(names = "--label-smoothing", paramLabel = "EPS", description = "Label smoothing ε: train against "
            + "(1 − ε)·one-hot + ε/classes, 0 = off (default: final_training.label_smoothing).")
    Double labelSmoothing;

    @Option(names = "--warmup-epochs", paramLabel = "N", description = "Linear learning-rate warm-up over the first N "
            + "epochs, then cosine to 0 (default: final_training.warmup_epochs).")
    Integer warmupEpochs;

    @Option(names = "--ema", paramLabel = "DECAY", description = "Exponential moving average of the weights (and batch-norm "
            + "statistics) with this decay per step, e.g. 0.999; the average is validated, tested and saved; 0 = off "
            + "(default: final_training.ema).")
    Double ema;

    @Option(names = "--seeds", paramLabel = "K", description = "Train K seeds (--seed, --seed + 1, ...), each into its own "
            + "seed-<n> folder of --out, and report test accuracy mean ± sd; a re-run with the same --out keeps the "
            + "finished seeds and goes on with a stopped one from its last finished epoch (default: "
            + "final_training.seeds; 1: one model straight in --out).")
    Integer seeds;

    @Option(names = "--batch", description = "Batch size (default: the campaign's, else 128).")
    Integer batch;

    @Option(names = "--lr", description = "Peak learning rate, cosine-annealed over the epochs (default: the campaign's, else 0.002).")
    Double lr;

    @Option(names = "--optimizer", description = "adam or sgd (Nesterov momentum 0.9) (default: the campaign's, else adam).")
    String optimizer;

    @Option(names = "--weight-decay", description = "Weight decay (default: the campaign's, else 5e-5).")
    Double weightDecay;

    @Option(names = "--seed", description = "Seed of the weights and the batch order (default: the campaign's, else 1).")
    Long seed;

    /** Training images an architecture file's training holds out for validation on a built-in dataset. */
    public static final int ARCH_VAL_SIZE = 5000;

    @Option(names = "--val-size", description = "Training images held out for validation (default: the campaign's, else 5000).")
    Integer valSize;

    @Option(names = "--train-size", description = "Use only the first N training images (default: all).")
    Integer trainSize;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to save model.zip, model.onnx, architecture.json and summary.txt "
            + "(default: anynas-runs/train-<hash>-<time>).")
    Path out;

    @Option(names = "--force", description = "Overwrite a non-empty --out directory.")
    boolean force;

    @Option(names = "--backend", defaultValue = "auto", description = "dl4j (CPU, writes model.zip), torch (PyTorch on "
            + "CUDA or CPU, writes model.pt) or auto: torch on CUDA when there is a GPU, else dl4j (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--torch-device", defaultValue = "auto", description = "With the torch backend: auto, cuda or cpu.")
    String torchDevice;

    @Option(names = "--precision", defaultValue = "fp32", description = "With the torch backend: fp32 or bf16 (autocast).")
    String precision;

    @Option(names = "--channels-last", paramLabel = "auto|true|false", defaultValue = "auto", description = "With the torch "
            + "backend: train channels-last (NHWC); auto: on the CPU, not on CUDA (default: ${DEFAULT-VALUE}).")
    String channelsLast;

    @Option(names = "--python", defaultValue = "", description = "With the torch backend: the interpreter that has PyTorch.")
    String python;

    @Mixin
    CommonOptions common;

    /** What the source fixes before the command line's overrides. */
    /** {@code campaign}: for a candidate, where its final trainings are recorded (else null). */
    record Defaults(Architecture arch, String dataset, Path dataDir, int valSize, long seed, Fidelity fidelity,
                    String provenance, Path logFile, ImageOptions images, org.anynas.campaign.FinalTraining fin,
                    CampaignRef campaign) {
        /** Whether a network of {@code other} trains on the same data with the same settings (finalists compare so). */
        boolean sameTraining(Defaults other) {
            Fidelity f = fidelity, g = other.fidelity;
            return dataset.equals(other.dataset) && java.util.Objects.equals(dataDir, other.dataDir) && valSize == other.valSize
                    && seed == other.seed && java.util.Objects.equals(images, other.images) && fin.equals(other.fin)
                    && f.batchSize() == g.batchSize() && f.optimizer() == g.optimizer() && f.learningRate() == g.learningRate()
                    && f.weightDecay() == g.weightDecay();
        }
    }

    /** The campaign a candidate belongs to: its database and id. */
    record CampaignRef(Path db, long id) {
        /**
         * Records a finished seed with the campaign, so that its report can set the proxy score against full training; a
         * database that cannot take it (read-only, another version) costs a note, not the training.
         */
        void record(Architecture arch, String identity, long seed, FinalRun run, PrintStream o) {
            try (ResultsStore store = ResultsStore.open(db)) {
                // the training's identity without the network, which is the row's own column: one recipe, many networks
                var recipe = (com.fasterxml.jackson.databind.node.ObjectNode) org.anynas.space.Json.json().readTree(identity);
                recipe.remove("architecture");
                store.recordFinalTraining(id, ArchitectureJson.hash(arch), recipe.toString(), seed, run.testAccuracy(),
                        run.valAccuracy(), run.bestEpoch(), run.seconds());
            } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                o.println("note: the final training was not recorded in " + db + ": " + e.getMessage());
            }
        }
    }


    /** With one seed: what its training gave, for a caller that ran this command in-process (bench final). */
    FinalRun last;

    /** With one seed, after {@link #call}: what its training gave (null when it did not run). */
    public FinalRun last() {
        return last;
    }

    /** The final recipe as the command line sets it over the source's defaults, checked before anything loads. */
    private record Recipe(int epochs, boolean augment, boolean flip, double erasing, double labelSmoothing, int warmupEpochs,
                          double ema, int seeds) {
    }

    /**
     * What every network of one run trains on and with: the data (its validation split the first seed's), the fidelity
     * (seed: the first), the final ingredients, the backend ({@code torch} empty: DL4J) and its key in seed markers.
     */
    private record Setup(Dataset data, Fidelity fidelity, TrainingRecipe.Final fin, int seeds, TorchSettings torchSettings,
                         Optional<org.anynas.torch.TorchProbe> torch, String backendKey) {
    }

    @Override
    public Integer call() {
        org.anynas.campaign.Backend choice = FinalRun.parse(backend);
        if (source.finalists != null) return finalists(choice);
        if (campaign != null) throw new UserError("--campaign only applies with --finalists (a --candidate brings its own campaign)");
        Defaults d = source.arch != null ? fromFile(source.arch) : fromCandidate(source.candidate, true);
        Recipe recipe = recipe(d.fin());
        TorchSettings torchSettings = torchSettings(); // checked before anything loads
        Logging.configure(d.logFile(), common.verbose);
        Architecture arch = d.arch();
        Path target = out != null ? out : defaultOut("train-" + ArchitectureJson.hash(arch).substring(0, 8));
        if (recipe.seeds() == 1) ExportFolder.checkTarget(target, force);
        else SeedRuns.checkTarget(target, force);
        Setup setup = setup(d, recipe, torchSettings, choice, List.of(arch));
        StopSignal stop = StopSignal.install("Stopping after this step: the best epoch so far is kept, tested and saved");
        try {
            if (recipe.seeds() == 1) {
                PrintStream o = System.out;
                last = FinalRun.train(setup.torch(), torchSettings, arch, setup.data(), setup.fidelity(), setup.fin(), target, force,
                        d.provenance(), d.logFile(), null, stop::requested, common.quiet, o);
                if (last.code() == 0 && d.campaign() != null) {
                    d.campaign().record(arch, SeedRuns.identity(arch, setup.data().name(), setup.fidelity(), setup.fin(),
                            setup.backendKey()), setup.fidelity().seed(), last, o);
                }
                return last.code();
            }
            int code = trainSeeds(d, setup, target, recipe.seeds(), force, stop);
            if (code == 0) System.out.println("Saved to " + target.toAbsolutePath().normalize() + " (seed-<n>/ per seed, summary.txt)");
            return code;
        } finally {
            stop.release();
        }
    }

    /** Where a run without --out saves: {@code anynas-runs/<name>-<time>}. */
    private static Path defaultOut(String name) {
        return Path.of("anynas-runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    private Recipe recipe(org.anynas.campaign.FinalTraining ft) {
        int epochs = this.epochs != null ? this.epochs : ft.epochs();
        boolean augment = this.augment != null ? this.augment : ft.augment();
        boolean flip = ft.flip() && !noFlip;
        double erasing = this.erasing != null ? this.erasing : ft.erasing();
        double labelSmoothing = this.labelSmoothing != null ? this.labelSmoothing : ft.labelSmoothing();
        int warmupEpochs = this.warmupEpochs != null ? this.warmupEpochs : ft.warmupEpochs();
        double ema = this.ema != null ? this.ema : ft.ema();
        int seeds = this.seeds != null ? this.seeds : ft.seeds();
        if (!augment && noFlip) throw new UserError("--no-flip only applies with --augment");
        if (seeds < 1) throw new UserError("--seeds must be >= 1, got " + seeds);
        if (epochs < 1) throw new UserError("--epochs must be >= 1, got " + epochs);
        if (!(erasing >= 0 && erasing <= 1)) throw new UserError("--erasing must be a probability in 0..1 (0.25 is usual), got " + erasing);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new UserError("--label-smoothing must be in [0, 1) (0.1 is usual), got " + labelSmoothing);
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new UserError("--warmup-epochs must be 0.." + (epochs - 1) + " (fewer than --epochs " + epochs + "), got " + warmupEpochs);
        }
        if (!(ema >= 0 && ema < 1)) throw new UserError("--ema must be a decay in [0, 1) (0.999 is usual; 0 = off), got " + ema);
        return new Recipe(epochs, augment, flip, erasing, labelSmoothing, warmupEpochs, ema, seeds);
    }

    /**
     * Loads the data the source's defaults and the options name, checks that every one of {@code archs} fits it, prints
     * what is trained and with what, and chooses the backend.
     */
    private Setup setup(Defaults d, Recipe recipe, TorchSettings torchSettings, org.anynas.campaign.Backend choice,
                        List<Architecture> archs) {
        Architecture arch = archs.get(0);
        int validation = valSize != null ? valSize : d.valSize();
        long s = seed != null ? seed : d.seed();
        String which = dataset != null ? Datasets.canonical(dataset) : d.dataset();
        if (valSize == null && dataset != null && !Datasets.isBuiltIn(which)) validation = 0; // a folder's own default hold-out
        // the validation split is the first seed's for every seed: seeds vary the training, not the data it is chosen on
        Dataset data = Datasets.load(which, dataDir != null ? dataDir : d.dataDir(), images(d.images(), arch), validation, s,
                DecodeBar.forStdout(common.quiet));
        for (Architecture a : archs) {
            if (!data.shape().equals(a.input()) || data.classes() != a.classes()) {
                throw new UserError("the architecture takes " + a.input() + " inputs in " + a.classes() + " classes, but "
                        + data.name() + " gives " + data.shape() + " in " + data.classes() + ": choose the dataset it was searched on"
                        + (Datasets.isBuiltIn(which) ? "" : " (and --image-size, images' channels)"));
            }
        }
        Fidelity base = d.fidelity();
        if (trainSize != null && (trainSize < 1 || trainSize > data.train().size())) {
            throw new UserError("--train-size must be 1.." + data.train().size() + " for " + data.name() + ", got " + trainSize);
        }
        Fidelity fidelity = new Fidelity(recipe.epochs(), trainSize != null ? trainSize : data.train().size(),
                data.validation().size(), batch != null ? batch : base.batchSize(),
                optimizer != null ? optimizer(optimizer) : base.optimizer(), lr != null ? lr : base.learningRate(),
                Fidelity.Schedule.COSINE, weightDecay != null ? weightDecay : base.weightDecay(), s);
        Augmentation aug = (recipe.augment() ? Augmentation.cropAndFlip(data.shape(), recipe.flip()) : Augmentation.none())
                .withErasing(recipe.erasing());
        TrainingRecipe.Final fin = new TrainingRecipe.Final(aug, recipe.labelSmoothing(), recipe.warmupEpochs(),
                new TrainingRecipe.Ema(recipe.ema()));

        PrintStream o = System.out;
        if (archs.size() == 1) {
            var graph = arch.graph();
            o.printf(Locale.ROOT, "Training %s (%,d params, %.2fM MACs)%n", arch.oneLine(), graph.params(), graph.macs() / 1e6);
        }
        o.printf(Locale.ROOT, "on %s: %,d training / %,d validation images; %s%n", data.name(),
                fidelity.trainSize(), fidelity.valSize(), fidelity.oneLine());
        o.println("recipe: " + fin.oneLine());
        var torch = FinalRun.choose(choice, torchSettings);
        // bf16 trains another function than fp32, so its seeds are another training; the layout and the device only
        // round differently, and a seed of one goes on in the other (older markers say "torch" for fp32)
        String backendKey = torch.isEmpty() ? "dl4j" : torchSettings.precision().equals("fp32") ? "torch"
                : "torch " + torchSettings.precision();
        return new Setup(data, fidelity, fin, recipe.seeds(), torchSettings, torch, backendKey);
    }

    /**
     * Seeds {@code setup}'s seed … + {@code count} − 1 of one network into {@code seed-<n>/} folders of {@code target}
     * (finished seeds kept, a stopped one resumed), each recorded with the network's campaign; reports mean ± sd.
     */
    private int trainSeeds(Defaults d, Setup setup, Path target, int count, boolean force, StopSignal stop) {
        PrintStream o = System.out;
        Architecture arch = d.arch();
        Fidelity fidelity = setup.fidelity();
        long s = fidelity.seed();
        SeedRuns runs = SeedRuns.of(target, s, count, force, arch, setup.data().name(), fidelity, setup.fin(), setup.backendKey());
        for (int k = 0; k < count; k++) {
            long seedK = s + k;
            Optional<FinalRun> done = runs.finishedRun(seedK);
            if (done.isPresent()) {
                o.printf(Locale.ROOT, "Seed %d (%d of %d): finished in an earlier run, test_acc %.4f%n", seedK, k + 1, count,
                        done.get().testAccuracy());
                if (d.campaign() != null) d.campaign().record(arch, runs.identity(), seedK, done.get(), o);
                continue;
            }
            o.printf(Locale.ROOT, "Seed %d (%d of %d)%n", seedK, k + 1, count);
            Fidelity f = new Fidelity(fidelity.epochs(), fidelity.trainSize(), fidelity.valSize(), fidelity.batchSize(),
                    fidelity.optimizer(), fidelity.learningRate(), fidelity.schedule(), fidelity.weightDecay(), seedK);
            FinalRun r = FinalRun.train(setup.torch(), setup.torchSettings(), arch, setup.data(), f, setup.fin(), runs.folder(seedK),
                    true, d.provenance(), d.logFile(), runs.state(seedK), stop::requested, common.quiet, o);
            if (r.code() != 0) {
                o.printf(Locale.ROOT, "Seed %d did not finish: a re-run with the same --out goes on from its last finished "
                        + "epoch%n", seedK);
                runs.report(o);
                return r.code();
            }
            runs.markFinished(seedK, r);
            if (d.campaign() != null) d.campaign().record(arch, runs.identity(), seedK, r, o);
        }
        runs.report(o);
        runs.writeSummary(arch, d.provenance());
        return 0;
    }

    /**
     * {@code --finalists K}: the search's proxy ranks good networks only roughly (bench/results/proxy-fidelity-*), so the
     * K best of db top are each trained fully with the first seed, the one with the best validation accuracy is chosen,
     * and only it is trained with the other seeds. The test set chooses nothing: each finalist's seed is tested once, as
     * every final training is, and the choice reads validation accuracy only.
     */
    private int finalists(org.anynas.campaign.Backend choice) {
        int k = source.finalists;
        if (k < 2) throw new UserError("--finalists must be >= 2 (for one network use --candidate), got " + k);
        Path path = db != null ? db : DbCommand.DbOptions.newest(Path.of("anynas-runs"));
        List<org.anynas.db.RankedCandidate> top;
        try (ResultsStore store = ResultsStore.openExisting(path)) {
            if (campaign != null && store.campaign(campaign).isEmpty()) {
                throw new UserError("no campaign '" + campaign + "' in " + store.file() + " (./nas db campaigns lists them)");
            }
            top = store.top(k, campaign, "val_acc");
        }
        String scope = campaign != null ? "campaign " + campaign : "the database " + path;
        if (top.size() < 2) {
            throw new UserError(scope + " has " + top.size() + " scored network" + (top.size() == 1 ? "" : "s")
                    + ": --finalists needs two or more (for one network use --candidate)");
        }
        List<Defaults> nets = top.stream().map(t -> fromCandidate(t.candidateId(), false)).toList();
        for (Defaults d : nets) {
            // one data split and one recipe for every finalist, else their validation accuracies do not compare
            if (!d.sameTraining(nets.get(0))) {
                throw new UserError("the finalists of " + scope + " come from campaigns that train on other data or with other "
                        + "settings: choose one with --campaign");
            }
        }
        Defaults first = nets.get(0);
        Recipe recipe = recipe(first.fin());
        TorchSettings torchSettings = torchSettings();
        Logging.configure(first.logFile(), common.verbose);
        Path target = out != null ? out : defaultOut("finalists-" + (campaign != null ? campaign : "all"));
        Finalists.checkTarget(target, force);
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "Finalists: the %d best networks of %s (./nas db top), each trained with the first seed; the best "
                + "validation accuracy is chosen%s%n", top.size(), scope, recipe.seeds() > 1 ? " and trained with the other seeds" : "");
        if (top.size() < k) o.printf(Locale.ROOT, "(%s scored only %d networks)%n", scope, top.size());
        Setup setup = setup(first, recipe, torchSettings, choice, nets.stream().map(Defaults::arch).toList());
        StopSignal stop = StopSignal.install("Stopping after this step: the best epoch so far is kept, tested and saved");
        try {
            Finalists finalists = Finalists.of(target, campaign, top, setup.fidelity().seed());
            if (force) finalists.forget(); // no record of an earlier choice while its seeds are trained again
            for (int i = 0; i < nets.size(); i++) {
                Defaults d = nets.get(i);
                var t = top.get(i);
                o.printf(Locale.ROOT, "%nFinalist %d of %d: candidate %d, %s (%,d params; search val_acc %.4f after %d epochs)%n",
                        i + 1, nets.size(), t.candidateId(), d.arch().oneLine(), t.params(), t.valAcc(), t.rungEpochs());
                Path folder = finalists.folder(i);
                // --force trains every seed of every finalist again; the later seeds of the chosen one must not survive
                if (force) SeedRuns.of(folder, setup.fidelity().seed(), setup.seeds(), true, d.arch(), setup.data().name(),
                        setup.fidelity(), setup.fin(), setup.backendKey());
                int code = trainSeeds(d, setup, folder, 1, false, stop);
                if (code != 0) {
                    if (code == 130) o.println("Stopped: a re-run with the same --out goes on (finished finalists are kept)");
                    return code;
                }
            }
            int chosen = finalists.choose();
            o.println();
            finalists.table().forEach(o::println);
            finalists.write(nets.get(chosen).arch(), setup.seeds()); // the choice, before its other seeds (a stop keeps it)
            if (setup.seeds() > 1) {
                o.printf(Locale.ROOT, "%nThe chosen network with the other seeds%n");
                int code = trainSeeds(nets.get(chosen), setup, finalists.folder(chosen), setup.seeds(), false, stop);
                if (code != 0) return code;
            } else {
                o.printf(Locale.ROOT, "test_acc of the chosen network: %.4f%n", finalists.chosenTest(1).get(0));
            }
            finalists.write(nets.get(chosen).arch(), setup.seeds());
            o.println("Saved to " + target.toAbsolutePath().normalize() + " (the chosen network: "
                    + finalists.folder(chosen).getFileName() + "/; " + finalists.summaryName() + ")");
            return 0;
        } finally {
            stop.release();
        }
    }

    private TorchSettings torchSettings() {
        try {
            return new TorchSettings(python, torchDevice, "all", 1, precision, channelsLast);
        } catch (org.anynas.space.UserInputException e) { // its keys are a campaign's; here they are options
            throw new UserError(e.getMessage().replace("torch.channels_last", "--channels-last").replace("torch.device", "--torch-device")
                    .replace("torch.precision", "--precision"));
        }
    }

    private static Defaults fromFile(Path file) {
        Architecture arch = ArchitectureJson.read(file);
        return new Defaults(arch, "fashion-mnist", null, ARCH_VAL_SIZE, 1, Fidelity.proxy(1, 1, 1, 1), "architecture file " + file,
                Path.of("anynas-runs", "train.log"), null, org.anynas.campaign.FinalTraining.defaults(), null);
    }

    /**
     * A candidate stands for its network: the defaults come from the network's score in the campaign (network_score,
     * as db top ranks it), which is a later candidate when the network was promoted past the rung of {@code id}.
     */
    Defaults fromCandidate(long id, boolean sayScore) {
        Path path = db != null ? db : DbCommand.DbOptions.newest(Path.of("anynas-runs"));
        StoredCandidate c;
        try (ResultsStore store = ResultsStore.openExisting(path)) {
            c = StoredCandidate.load(store, id);
            Optional<NetworkScore> score = store.networkScore(id);
            if (score.isPresent()) {
                NetworkScore n = score.get();
                if (n.candidateId() != id) c = StoredCandidate.load(store, n.candidateId());
                if (sayScore) System.out.printf(Locale.ROOT, "Search score of this network in campaign %s: val_acc %.4f after %d of %d epochs "
                        + "(candidate %d%s)%n", n.campaign(), n.valAcc(), n.rungEpochs(), c.evaluation().fidelity().epochs(),
                        n.candidateId(), n.candidateId() != id ? ", its highest rung; candidate " + id + " was a lower one" : "");
            }
        }
        CampaignConfig config = c.config();
        return new Defaults(c.architecture(), config.dataset(), config.dataDirPath(), config.validationSize(), config.seed(),
                c.evaluation().fidelity(), c.provenance(), SearchCommand.logFile(path), config.images(), config.finalTraining(),
                new CampaignRef(path, c.candidate().campaignId()));
    }

    /**
     * How a folder's images are read: the campaign's settings (a candidate), else the architecture's own input size and
     * channels (an architecture file), with --image-size and --resize on top.
     */
    private ImageOptions images(ImageOptions campaign, Architecture arch) {
        ImageOptions base = campaign != null ? campaign : new ImageOptions(List.of(arch.input().height(), arch.input().width()),
                "stretch", String.valueOf(arch.input().channels()), "white", "skip");
        List<Integer> size = base.size();
        if (imageSize != null) {
            String[] hw = imageSize.toLowerCase(Locale.ROOT).split("[x×]");
            try {
                size = hw.length == 1 ? List.of(Integer.parseInt(hw[0].trim()))
                        : List.of(Integer.parseInt(hw[0].trim()), Integer.parseInt(hw[1].trim()));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new UserError("--image-size must be HxW (e.g. 64x64) or one number, got '" + imageSize + "'");
            }
        }
        return new ImageOptions(size, resize != null ? resize : base.resize(), base.channels(), base.background(), base.onBadImage());
    }

    private static Fidelity.Optimizer optimizer(String name) {
        try {
            return Fidelity.Optimizer.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--optimizer must be adam or sgd, got '" + name + "'");
        }
    }
}
