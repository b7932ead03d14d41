package org.anynas.evaluator;

import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.nio.file.Path;

/**
 * Writes a DL4J export directory: {@code model.zip} (DL4J ModelSerializer, loadable with
 * {@code ComputationGraph.load}), {@code architecture.json} and a human-readable {@code summary.txt}, through
 * {@link ExportFolder} (atomic, nothing half-written).
 */
public final class ModelExport {
    private ModelExport() {
    }

    public static void write(Path dir, ComputationGraph net, Architecture arch, Fidelity fidelity, String dataset,
                             EvaluationResult result, String provenance, boolean force) {
        write(dir, net, arch, summary(arch, fidelity, dataset, result, provenance), force);
    }

    /** Writes the model and architecture with a caller-made {@code summary.txt} (see {@link #summary}). */
    public static void write(Path dir, ComputationGraph net, Architecture arch, String summary, boolean force) {
        ExportFolder.write(dir, arch, summary, force, tmp -> ModelSerializer.writeModel(net, tmp.resolve("model.zip").toFile(), true));
    }

    /** Fails early (before any training) when {@code dir} may not be written; returns its absolute path. */
    public static Path checkTarget(Path dir, boolean force) {
        return ExportFolder.checkTarget(dir, force);
    }

    /** Header lines (source, dataset, fidelity, scores, speed) followed by the layer table; {@code extra} goes after the scores. */
    public static String summary(Architecture arch, Fidelity fidelity, String dataset, EvaluationResult r, String provenance,
                                 String... extra) {
        return ExportFolder.summary(arch, fidelity, dataset, r, provenance, extra);
    }

    /** An export that cannot be written; the message says where and what to do. */
    public static final class ExportException extends RuntimeException {
        public ExportException(String message) {
            super(message);
        }
    }
}
