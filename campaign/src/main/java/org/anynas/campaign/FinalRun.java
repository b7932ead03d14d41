package org.anynas.campaign;

import org.anynas.data.Dataset;
import org.anynas.dl4j.FinalTrainer;
import org.anynas.dl4j.ModelExport;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.UserInputException;
import org.anynas.torch.TorchProbe;
import org.anynas.torch.TorchSettings;
import org.anynas.trainer.EpochState;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingRecipe;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One seed's final training, as a library call ({@link #train}) and as what it gave: the exit code a command ends with
 * (0, 1, or 130 when stopped), its scores (NaN when none) and the seconds its epochs took (training and validation, as
 * the trainer measured them). The network is trained for its final epochs on the backend chosen as a campaign chooses
 * it and saved as model files; {@code ./nas train} (one seed or several) and the benchmarks call it, and it prints what
 * the command shows.
 */
public record FinalRun(int code, double testAccuracy, double valAccuracy, int bestEpoch, double seconds) {

    /** {@code --backend} of a final training, refused up front when it cannot train on it. */
    public static Backend parse(String value) {
        Backend backend = Backend.parse(value);
        // the final training has no ND4J CUDA path: dl4j-cuda used to train on PyTorch without a word
        if (backend == Backend.DL4J_CUDA) {
            throw new UserInputException("--backend must be auto, dl4j or torch for ./nas train (it does not train on ND4J's CUDA backend), got '"
                    + value + "'");
        }
        return backend;
    }

    /** The PyTorch to train with, or empty for DL4J ({@code auto}: as a campaign decides it, {@link BackendChoice}). */
    public static Optional<TorchProbe> choose(Backend backend, TorchSettings settings) {
        BackendChoice chosen = BackendChoice.resolve(backend, BackendChoice.Probe.machine(settings.python()));
        if (chosen.refusal().isPresent()) {
            throw new UserInputException("--" + chosen.refusal().get() + ": install it (Debian: sudo apt-get install python3-torch), or pass --python");
        }
        return chosen.torch();
    }

    /**
     * One seed's final training of {@code arch} on PyTorch ({@code torch} present) or DL4J, saved to {@code target}: the
     * best epoch on validation, the test set measured once, model files checked across runtimes. Progress and results
     * go to {@code o} (epochs only without {@code quiet}); {@code stop} ends it after the current step, keeping the best
     * epoch so far. With {@code state} (null: none) the training keeps its state there after each epoch and goes on
     * from it ({@link EpochState}).
     */
    public static FinalRun train(Optional<TorchProbe> torch, TorchSettings torchSettings, Architecture arch, Dataset data,
                                 Fidelity fidelity, TrainingRecipe.Final fin, Path target, boolean overwrite, String provenance,
                                 Path logFile, EpochState state, BooleanSupplier stop, boolean quiet, PrintStream o) {
        if (torch.isPresent()) {
            return TorchFinalTraining.run(torchSettings, torch.get(), arch, data, fidelity, fin, target, overwrite, provenance,
                    logFile, state, stop, quiet, o);
        }
        FinalTrainer.Outcome r = FinalTrainer.of(data).withStop(stop).withState(state).train(arch, fidelity, fin, e -> {
            if (!quiet) {
                o.println(epochLine(e.epoch(), e.epochs(), e.trainLoss(), e.valAccuracy(), e.valLoss(), e.seconds(), e.best(),
                        e.resumed()));
            }
        });
        if (r.status() != Status.OK) o.println(r.status().key() + ": " + r.message());
        if (r.network() == null) {
            System.err.println("error: no epoch finished, nothing to save");
            return new FinalRun(r.status() == Status.INTERRUPTED ? 130 : 1, Double.NaN, Double.NaN, 0, Double.NaN);
        }
        ModelExport.Deployable deployable = null;
        try {
            o.println(bestLine(r.bestEpoch(), r.result().valAccuracy(), data.hasTest(), r.testSize(), r.testAccuracy(), r.testLoss()));
            o.println(speedLine(r.result(), ""));
            deployable = ModelExport.prepare(r.network(), arch, ModelMetadata.of(arch, data, r.standardisation(),
                    r.result().valAccuracy(), r.testAccuracy()), data.checkImages());
            TestConfusion perClass = TestConfusion.of(deployable, data);
            perClass.print(o);
            o.println("Cross-runtime check: " + deployable.check().oneLine());
            List<String> extra = new ArrayList<>(summaryLines(r.bestEpoch(), r.epochs().size(), fin.oneLine(), data.hasTest(),
                    r.testSize(), r.testAccuracy(), r.testLoss()));
            extra.addAll(perClass.summaryLines());
            extra.addAll(List.of(deployable.summaryLines()));
            String summary = ModelExport.summary(arch, fidelity, data.name(), r.result(), provenance, extra.toArray(String[]::new));
            ModelExport.write(target, deployable, arch, summary, overwrite, perClass.files(folder -> {
            }));
        } finally {
            if (deployable != null) deployable.dl4j().clear();
            r.network().clear();
        }
        o.println("Saved to " + target.toAbsolutePath().normalize() + " (model.zip, model.onnx, architecture.json, summary.txt)");
        int code = switch (r.status()) {
            case OK -> 0;
            case INTERRUPTED -> 130;
            default -> 1;
        };
        return new FinalRun(code, r.testAccuracy(), r.result().valAccuracy(), r.bestEpoch(), r.result().trainSeconds());
    }

    // The lines a final training shows and keeps, one wording for both backends (DL4J above, TorchFinalTraining).

    /** One finished epoch as the progress display shows it; {@code resumed}: an earlier run trained it. */
    static String epochLine(int epoch, int epochs, double trainLoss, double valAccuracy, double valLoss, double seconds,
                            boolean best, boolean resumed) {
        return String.format(Locale.ROOT, "epoch %3d/%d  train_loss %.4f  val_acc %.4f  val_loss %.4f  %6.1f s%s%s", epoch, epochs,
                trainLoss, valAccuracy, valLoss, seconds, best ? "  best" : "", resumed ? "  (an earlier run's)" : "");
    }

    /** The chosen epoch and the one test measurement (or that there is no test split). */
    static String bestLine(int bestEpoch, double valAccuracy, boolean hasTest, int testSize, double testAccuracy, double testLoss) {
        return hasTest
                ? String.format(Locale.ROOT, "Best epoch %d: val_acc %.4f. Test accuracy (%,d images, measured once): %.4f, test loss %.4f",
                bestEpoch, valAccuracy, testSize, testAccuracy, testLoss)
                : String.format(Locale.ROOT, "Best epoch %d: val_acc %.4f (no test split)", bestEpoch, valAccuracy);
    }

    /** Training and inference speed; {@code where}: the device in words, or empty. */
    static String speedLine(EvaluationResult result, String where) {
        return String.format(Locale.ROOT, "Training %.0f img/s over %.0f s; inference %.0f img/s batched, %.2f ms at batch 1%s",
                result.trainImagesPerSec(), result.trainSeconds(), result.inferencePerSec(), result.latencyMs(),
                where.isEmpty() ? "" : " (" + where + ")");
    }

    /** summary.txt's "final:" and "test:" lines; {@code recipe}: the recipe's one line (and the backend, where named). */
    static List<String> summaryLines(int bestEpoch, int epochsRun, String recipe, boolean hasTest, int testSize,
                                     double testAccuracy, double testLoss) {
        return List.of(String.format(Locale.ROOT, "final:        best epoch %d of %d, %s", bestEpoch, epochsRun, recipe),
                hasTest ? String.format(Locale.ROOT, "test:         test_acc %.4f, test_loss %.4f on %d test images (measured once)",
                        testAccuracy, testLoss, testSize)
                        : "test:         none (the dataset has no test split)");
    }
}
