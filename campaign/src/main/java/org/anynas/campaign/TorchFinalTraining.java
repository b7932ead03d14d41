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
                    // "best": the worker's own mark of an epoch it kept (absent in epoch states of older builds: no mark)
                    if (!quiet) {
                        o.println(FinalRun.epochLine(e.path("epoch").asInt(), e.path("epochs").asInt(), e.path("train_loss").asDouble(),
                                e.path("val_acc").asDouble(), e.path("val_loss").asDouble(), e.path("seconds").asDouble(),
                                e.path("best").asBoolean(), e.path("resumed").asBoolean()));
                    }
                });
                if (r.result().status() != Status.OK) {
                    System.err.println("error: " + r.result().status().key() + ": " + r.result().message());
                    return new FinalRun(r.result().status() == Status.INTERRUPTED ? 130 : 1, Double.NaN, Double.NaN, 0, Double.NaN);
                }
                var res = r.result();
                int finished = r.epochsRun() < fidelity.epochs() ? 130 : 0;
                FinalRun run = new FinalRun(finished, r.testAccuracy(), res.valAccuracy(), r.bestEpoch(), res.trainSeconds());
                int testSize = data.hasTest() ? data.test().size() : 0;
                o.println(FinalRun.bestLine(r.bestEpoch(), res.valAccuracy(), data.hasTest(), testSize, r.testAccuracy(), r.testLoss()));
                o.println(FinalRun.speedLine(res, res.device()));
                List<String> lines = new ArrayList<>(FinalRun.summaryLines(r.bestEpoch(), r.epochsRun(),
                        fin.oneLine() + ", backend " + backend.identity(), data.hasTest(), testSize, r.testAccuracy(), r.testLoss()));
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
