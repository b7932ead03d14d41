package org.anynas.cli;

import org.anynas.db.NetworkScore;
import org.anynas.db.ResultsStore;
import org.anynas.evaluator.Augmentation;
import org.anynas.evaluator.FinalTrainer;
import org.anynas.evaluator.ExportFolder;
import org.anynas.evaluator.ModelExport;
import org.anynas.evaluator.Status;
import org.anynas.evaluator.data.Dataset;
import org.anynas.evaluator.data.Datasets;
import org.anynas.evaluator.data.ImageOptions;
import org.anynas.evaluator.torch.TorchSettings;
import org.anynas.evaluator.onnx.ModelMetadata;
import org.anynas.campaign.CampaignConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "train", description = "Train one architecture fully: all training images, many epochs, optional "
        + "augmentation; keeps the best epoch on validation, measures the test set once and saves the model.")
final class TrainCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--arch", paramLabel = "FILE", description = "An architecture JSON file (./nas space sample, or an export's architecture.json).")
        Path arch;

        @Option(names = "--candidate", paramLabel = "ID", description = "A candidate of a results database (see ./nas db top); "
                + "its campaign's dataset, split and optimizer settings are the defaults.")
        Long candidate;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(names = "--db", paramLabel = "PATH", description = "With --candidate: the database (default: the newest under ./anynas-runs).")
    Path db;

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

    @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--augment", description = "Random crop with padding + horizontal flip on training batches.")
    boolean augment;

    @Option(names = "--no-flip", description = "With --augment: crop only (for digits, which flipping changes).")
    boolean noFlip;

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

    @Option(names = "--python", defaultValue = "", description = "With the torch backend: the interpreter that has PyTorch.")
    String python;

    @Mixin
    CommonOptions common;

    /** What the source fixes before the command line's overrides. */
    record Defaults(Architecture arch, String dataset, Path dataDir, int valSize, long seed, Fidelity fidelity,
                    String provenance, Path logFile, ImageOptions images) {
    }

    @Override
    public Integer call() {
        if (!augment && noFlip) throw new UserError("--no-flip only applies with --augment");
        org.anynas.campaign.Backend choice = TorchFinalTraining.parse(backend);
        Defaults d = source.arch != null ? fromFile(source.arch) : fromCandidate(source.candidate);
        Logging.configure(d.logFile(), common.verbose);
        Architecture arch = d.arch();
        Path target = out != null ? out : Path.of("anynas-runs", "train-" + ArchitectureJson.hash(arch).substring(0, 8) + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ExportFolder.checkTarget(target, force);

        int validation = valSize != null ? valSize : d.valSize();
        long s = seed != null ? seed : d.seed();
        String which = dataset != null ? Datasets.canonical(dataset) : d.dataset();
        if (valSize == null && dataset != null && !Datasets.isBuiltIn(which)) validation = 0; // a folder's own default hold-out
        Dataset data = Datasets.load(which, dataDir != null ? dataDir : d.dataDir(), images(d.images(), arch), validation, s,
                DecodeBar.forStdout(common.quiet));
        if (!data.shape().equals(arch.input()) || data.classes() != arch.classes()) {
            throw new UserError("the architecture takes " + arch.input() + " inputs in " + arch.classes() + " classes, but "
                    + data.name() + " gives " + data.shape() + " in " + data.classes() + ": choose the dataset it was searched on"
                    + (Datasets.isBuiltIn(which) ? "" : " (and --image-size, images' channels)"));
        }
        Fidelity base = d.fidelity();
        if (trainSize != null && (trainSize < 1 || trainSize > data.train().size())) {
            throw new UserError("--train-size must be 1.." + data.train().size() + " for " + data.name() + ", got " + trainSize);
        }
        Fidelity fidelity = new Fidelity(epochs, trainSize != null ? trainSize : data.train().size(), data.validation().size(),
                batch != null ? batch : base.batchSize(), optimizer != null ? optimizer(optimizer) : base.optimizer(),
                lr != null ? lr : base.learningRate(), Fidelity.Schedule.COSINE,
                weightDecay != null ? weightDecay : base.weightDecay(), s);
        Augmentation aug = augment ? Augmentation.cropAndFlip(data.shape(), !noFlip) : Augmentation.none();

        PrintStream o = System.out;
        var graph = arch.graph();
        o.printf(Locale.ROOT, "Training %s (%,d params, %.2fM MACs)%n", arch.oneLine(), graph.params(), graph.macs() / 1e6);
        o.printf(Locale.ROOT, "on %s: %,d training / %,d validation images; %s; augmentation: %s%n", data.name(),
                fidelity.trainSize(), fidelity.valSize(), fidelity.oneLine(), aug.oneLine());
        StopSignal stop = StopSignal.install("Stopping after this step: the best epoch so far is kept, tested and saved");
        TorchSettings torchSettings = new TorchSettings(python, torchDevice, "all", 1, precision, false);
        var torch = TorchFinalTraining.choose(choice, torchSettings);
        if (torch.isPresent()) {
            try {
                return TorchFinalTraining.run(torchSettings, torch.get(), arch, data, fidelity, aug, target, force, d.provenance(), d.logFile(),
                        stop, common.quiet, o);
            } finally {
                stop.release();
            }
        }
        FinalTrainer.Outcome r;
        try {
            r = FinalTrainer.of(data).withStop(stop::requested).train(arch, fidelity, aug, e -> {
                if (!common.quiet) {
                    o.printf(Locale.ROOT, "epoch %3d/%d  train_loss %.4f  val_acc %.4f  val_loss %.4f  %6.1f s%s%n", e.epoch(),
                            e.epochs(), e.trainLoss(), e.valAccuracy(), e.valLoss(), e.seconds(), e.best() ? "  best" : "");
                }
            });
        } finally {
            stop.release();
        }
        if (r.status() != Status.OK) o.println(r.status().key() + ": " + r.message());
        if (r.network() == null) {
            System.err.println("error: no epoch finished, nothing to save");
            return r.status() == Status.INTERRUPTED ? 130 : 1;
        }
        ModelExport.Deployable deployable = null;
        try {
            if (data.hasTest()) {
                o.printf(Locale.ROOT, "Best epoch %d: val_acc %.4f. Test accuracy (%,d images, measured once): %.4f, test loss %.4f%n",
                        r.bestEpoch(), r.result().valAccuracy(), r.testSize(), r.testAccuracy(), r.testLoss());
            } else {
                o.printf(Locale.ROOT, "Best epoch %d: val_acc %.4f (no test split)%n", r.bestEpoch(), r.result().valAccuracy());
            }
            o.printf(Locale.ROOT, "Training %.0f img/s over %.0f s; inference %.0f img/s batched, %.2f ms at batch 1%n",
                    r.result().trainImagesPerSec(), r.result().trainSeconds(), r.result().inferencePerSec(), r.result().latencyMs());
            deployable = ModelExport.prepare(r.network(), arch, ModelMetadata.of(arch, data, r.standardisation(),
                    r.result().valAccuracy(), r.testAccuracy()), data.checkImages());
            TestConfusion perClass = TestConfusion.of(deployable, data);
            perClass.print(o);
            o.println("Cross-runtime check: " + deployable.check().oneLine());
            List<String> extra = new ArrayList<>(List.of(
                    String.format(Locale.ROOT, "final:        best epoch %d of %d, augmentation %s", r.bestEpoch(), r.epochs().size(), aug.oneLine()),
                    String.format(Locale.ROOT, "test:         test_acc %.4f, test_loss %.4f on %d test images (measured once)",
                            r.testAccuracy(), r.testLoss(), r.testSize())));
            if (!data.hasTest()) extra.remove(1);
            extra.addAll(perClass.summaryLines());
            extra.addAll(List.of(deployable.summaryLines()));
            String summary = ModelExport.summary(arch, fidelity, data.name(), r.result(), d.provenance(), extra.toArray(String[]::new));
            ModelExport.write(target, deployable, arch, summary, force, perClass.files(folder -> {
            }));
        } finally {
            if (deployable != null) deployable.dl4j().clear();
            r.network().clear();
        }
        o.println("Saved to " + target.toAbsolutePath().normalize() + " (model.zip, model.onnx, architecture.json, summary.txt)");
        return switch (r.status()) {
            case OK -> 0;
            case INTERRUPTED -> 130;
            default -> 1;
        };
    }

    private static Defaults fromFile(Path file) {
        Architecture arch = ArchitectureJson.read(file);
        return new Defaults(arch, "fashion-mnist", null, 5000, 1, Fidelity.proxy(1, 1, 1, 1), "architecture file " + file,
                Path.of("anynas-runs", "train.log"), null);
    }

    /**
     * A candidate stands for its network: the defaults come from the network's score in the campaign (network_score,
     * as db top ranks it), which is a later candidate when the network was promoted past the rung of {@code id}.
     */
    Defaults fromCandidate(long id) {
        Path path = db != null ? db : DbCommand.DbOptions.newest(Path.of("anynas-runs"));
        StoredCandidate c;
        try (ResultsStore store = ResultsStore.openExisting(path)) {
            c = StoredCandidate.load(store, id);
            Optional<NetworkScore> score = store.networkScore(id);
            if (score.isPresent()) {
                NetworkScore n = score.get();
                if (n.candidateId() != id) c = StoredCandidate.load(store, n.candidateId());
                System.out.printf(Locale.ROOT, "Search score of this network in campaign %s: val_acc %.4f after %d of %d epochs "
                        + "(candidate %d%s)%n", n.campaign(), n.valAcc(), n.rungEpochs(), c.evaluation().fidelity().epochs(),
                        n.candidateId(), n.candidateId() != id ? ", its highest rung; candidate " + id + " was a lower one" : "");
            }
        }
        CampaignConfig config = c.config();
        return new Defaults(c.architecture(), config.dataset(), config.dataDirPath(), config.validationSize(), config.seed(),
                c.evaluation().fidelity(), c.provenance(), SearchCommand.logFile(path), config.images());
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
