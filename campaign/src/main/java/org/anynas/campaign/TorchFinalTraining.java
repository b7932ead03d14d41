package org.anynas.campaign;

import org.anynas.trainer.EpochState;
import org.anynas.trainer.TrainingRecipe;
import org.anynas.dl4j.ExportFolder;
import org.anynas.dl4j.ModelExport;
import org.anynas.trainer.Status;
import org.anynas.data.Dataset;
import org.anynas.torch.TorchBackend;
import org.anynas.torch.TorchProbe;
import org.anynas.torch.TorchSettings;
import org.anynas.torch.TorchTrainer;
import org.anynas.space.Architecture;
import org.anynas.space.UserInputException;
import org.anynas.space.Fidelity;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./nas train} on the PyTorch backend: one worker trains the network for the final epochs, keeps the best
 * epoch on validation, measures the test set once and saves its weights as {@code model.pt} (a PyTorch
 * state_dict keyed by op-graph node, as the ONNX initializers) beside architecture.json and summary.txt; where DL4J is on the
 * class path (everywhere but the GPU verification's trimmed runtime), the same weights also go into model.zip and
 * model.onnx, checked against PyTorch's own outputs ({@link TorchDeployment}).
 */
final class TorchFinalTraining {
    private TorchFinalTraining() {
    }

    /** DL4J and ND4J are on the class path (not in bench/gpu/pack.sh's trimmed runtime); asked without loading them. */
    private static boolean dl4jPresent() {
        try {
            Class.forName("org.deeplearning4j.nn.graph.ComputationGraph", false, TorchFinalTraining.class.getClassLoader());
            Class.forName("org.nd4j.linalg.cpu.nativecpu.CpuBackend", false, TorchFinalTraining.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static FinalRun run(TorchSettings settings, TorchProbe probe, Architecture arch, Dataset data, Fidelity fidelity,
                                TrainingRecipe.Final fin, Path target, boolean force, String provenance, Path log, EpochState state,
                                java.util.function.BooleanSupplier stop, boolean quiet, PrintStream o) {
        try (TorchBackend backend = TorchBackend.open(settings, probe, data, Duration.ofDays(1), stop, 1, log, Map.of())) {
            TorchTrainer trainer = backend.slots().get(0);
            o.println(backend.description());
            ScratchFolder scratch;
            try {
                scratch = ScratchFolder.create(log.toAbsolutePath().getParent());
            } catch (java.io.IOException e) {
                throw new UserInputException("cannot write next to " + log + ": " + e.getMessage());
            }
            Path weights = scratch.path().resolve("model.pt");
            Path arrays = scratch.path().resolve("model.npz");
            try (scratch) {
                TorchTrainer.FinalResult r = trainer.trainFinal(arch, fidelity, fin, weights, arrays, state, e -> {
                    if (!quiet) {
                        o.printf(Locale.ROOT, "epoch %3d/%d  train_loss %.4f  val_acc %.4f  val_loss %.4f  %6.1f s%s%n",
                                e.path("epoch").asInt(), e.path("epochs").asInt(), e.path("train_loss").asDouble(),
                                e.path("val_acc").asDouble(), e.path("val_loss").asDouble(), e.path("seconds").asDouble(),
                                e.path("resumed").asBoolean() ? "  (an earlier run's)" : "");
                    }
                });
                if (r.result().status() != Status.OK) {
                    System.err.println("error: " + r.result().status().key() + ": " + r.result().message());
                    return new FinalRun(r.result().status() == Status.INTERRUPTED ? 130 : 1, Double.NaN, Double.NaN, 0, Double.NaN);
                }
                var res = r.result();
                int finished = r.epochsRun() < fidelity.epochs() ? 130 : 0;
                FinalRun run = new FinalRun(finished, r.testAccuracy(), res.valAccuracy(), r.bestEpoch(), res.trainSeconds());
                if (data.hasTest()) {
                    o.printf(Locale.ROOT, "Best epoch %d: val_acc %.4f. Test accuracy (%,d images, measured once): %.4f, test loss %.4f%n",
                            r.bestEpoch(), res.valAccuracy(), data.test().size(), r.testAccuracy(), r.testLoss());
                } else {
                    o.printf(Locale.ROOT, "Best epoch %d: val_acc %.4f (no test split)%n", r.bestEpoch(), res.valAccuracy());
                }
                o.printf(Locale.ROOT, "Training %.0f img/s over %.0f s; inference %.0f img/s batched, %.2f ms at batch 1 (%s)%n",
                        res.trainImagesPerSec(), res.trainSeconds(), res.inferencePerSec(), res.latencyMs(), res.device());
                List<String> lines = new ArrayList<>(List.of(
                        String.format(Locale.ROOT, "final:        best epoch %d of %d, %s, backend %s",
                                r.bestEpoch(), r.epochsRun(), fin.oneLine(), backend.identity()),
                        String.format(Locale.ROOT, "test:         test_acc %.4f, test_loss %.4f on %d test images (measured once)",
                                r.testAccuracy(), r.testLoss(), data.hasTest() ? data.test().size() : 0)));
                if (!data.hasTest()) lines.set(1, "test:         none (the dataset has no test split)");
                ExportFolder.ModelFiles pt = folder -> Files.move(weights, folder.resolve("model.pt"), StandardCopyOption.REPLACE_EXISTING);
                String notDeployable;
                boolean dl4j = dl4jPresent();
                if (dl4j) {
                    try {
                        TorchDeployment.write(arch, data, fidelity, arrays, res, r.testAccuracy(), target, force, provenance, lines, pt, o);
                        o.println("Saved to " + target.toAbsolutePath().normalize() + " (model.pt, model.zip, model.onnx, architecture.json, summary.txt)");
                        return run;
                    } catch (ModelExport.ExportException e) {
                        // the trained weights are worth keeping even when their DL4J/ONNX copies do not check out
                        notDeployable = e.getMessage();
                    }
                } else {
                    notDeployable = "this CLI was packed without DL4J; train on a machine with the full CLI for them";
                }
                lines.add("deploy:       no model.zip/model.onnx: " + notDeployable);
                ExportFolder.write(target, arch, ExportFolder.summary(arch, fidelity, data.name(), res, provenance,
                        lines.toArray(String[]::new)), force, pt);
                o.println("Saved to " + target.toAbsolutePath().normalize() + " (model.pt, architecture.json, summary.txt)");
                if (!dl4j) {
                    o.println("No model.zip/model.onnx: " + notDeployable);
                    return run;
                }
                System.err.println("error: no model.zip/model.onnx: " + notDeployable);
                return new FinalRun(1, run.testAccuracy(), run.valAccuracy(), run.bestEpoch(), run.seconds());
            }
        }
    }
}
