package org.anynas.campaign;

import org.anynas.dl4j.ModelExport;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Exports a stored candidate. The database keeps scores, not weights, so the network is retrained at the
 * fidelity it was scored at (deterministic on CPU: the same seed gives the same weights and score) and saved.
 */
public final class RetrainAndExport {
    private RetrainAndExport() {
    }

    public static void run(ProxyTrainer trainer, Architecture arch, Fidelity fidelity, double storedAccuracy, String provenance,
                    Path dir, boolean force, PrintStream out) {
        ModelExport.checkTarget(dir, force);
        out.printf(Locale.ROOT, "Retraining %s at its search fidelity (%s)...%n", arch.oneLine(), fidelity.oneLine());
        ProxyTrainer.TrainedModel model = trainer.train(arch, fidelity);
        if (model.network() == null) {
            throw new IllegalStateException("retraining failed (" + model.result().status().key() + "): " + model.result().message());
        }
        try {
            double again = model.result().valAccuracy();
            if (again != storedAccuracy) {
                out.printf(Locale.ROOT, "warning: retrained val_acc %.4f differs from the stored %.4f%n", again, storedAccuracy);
            }
            CrossRuntimeCheck check = ModelExport.write(dir, model.network(), arch, fidelity, model.standardisation(),
                    trainer.dataset(), model.result(), provenance, force);
            out.println("Cross-runtime check: " + check.oneLine());
        } finally {
            model.network().clear();
        }
        out.printf(Locale.ROOT, "Exported to %s (model.zip, model.onnx, architecture.json, summary.txt); val_acc %.4f%n", dir,
                model.result().valAccuracy());
    }
}
