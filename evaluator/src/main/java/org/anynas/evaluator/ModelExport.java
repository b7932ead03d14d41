package org.anynas.evaluator;

import onnx.Onnx;
import org.anynas.evaluator.data.Dataset;
import org.anynas.evaluator.data.ImageSet;
import org.anynas.evaluator.onnx.CrossRuntimeCheck;
import org.anynas.evaluator.onnx.ModelMetadata;
import org.anynas.evaluator.onnx.OnnxWriter;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.GraphTable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes an export directory: {@code model.zip} (DL4J ModelSerializer, loadable with {@code ComputationGraph.load}),
 * {@code model.onnx} (ONNX opset {@value OnnxWriter#OPSET}), {@code architecture.json} and a human-readable
 * {@code summary.txt}. Both model files take images in [0, 1] and standardise them first. The files are made and
 * checked against each other in memory ({@link #prepare}), then written to a temporary sibling directory and moved
 * into place, so a failure leaves nothing half-written.
 */
public final class ModelExport {
    /** How many test images the cross-runtime check runs. */
    public static final int CHECK_IMAGES = 256;

    private ModelExport() {
    }

    /** Both model files of a trained network and the proof that they compute it. The caller clears {@code dl4j}. */
    public record Deployable(ComputationGraph dl4j, Onnx.ModelProto onnx, ModelMetadata metadata, CrossRuntimeCheck check) {
        /** summary.txt lines: input, standardisation, classes, the ONNX file and its check. */
        public String[] summaryLines() {
            List<String> lines = new ArrayList<>(metadata.summaryLines());
            lines.add("onnx:         model.onnx, opset " + OnnxWriter.OPSET + "; " + check.oneLine());
            return lines.toArray(String[]::new);
        }
    }

    /**
     * Makes model.zip's graph and model.onnx for {@code trained} and runs the cross-runtime check on the first
     * {@value #CHECK_IMAGES} of {@code testImages}; throws {@link ExportException} (one line) when they disagree.
     */
    public static Deployable prepare(ComputationGraph trained, Architecture arch, ModelMetadata metadata, ImageSet testImages) {
        ComputationGraph dl4j = GraphTranslator.floats().deployable(arch.graph(), metadata.standardisation(), trained);
        try {
            Onnx.ModelProto onnx = OnnxWriter.of(arch.graph(), metadata).write(trained);
            CrossRuntimeCheck check = CrossRuntimeCheck.of(trained, metadata.standardisation(), onnx, dl4j,
                    testImages.first(CHECK_IMAGES));
            if (!check.passes()) {
                throw new ExportException("the exported files do not compute the trained network (" + check.oneLine()
                        + "); nothing was written");
            }
            return new Deployable(dl4j, onnx, metadata, check);
        } catch (RuntimeException e) {
            dl4j.clear();
            throw e;
        }
    }

    /**
     * A search candidate's export: checks, then writes with the standard summary. Returns the check, already in
     * summary.txt.
     */
    public static CrossRuntimeCheck write(Path dir, ComputationGraph trained, Architecture arch, Fidelity fidelity,
                                          Standardisation standardisation, Dataset dataset, EvaluationResult result,
                                          String provenance, boolean force) {
        checkTarget(dir, force);
        Deployable d = prepare(trained, arch, ModelMetadata.of(arch, dataset.name(), standardisation, result.valAccuracy(),
                Double.NaN), dataset.test());
        try {
            write(dir, d, arch, summary(arch, fidelity, dataset.name(), result, provenance, d.summaryLines()), force);
            return d.check();
        } finally {
            d.dl4j().clear();
        }
    }

    /** Writes checked model files and the architecture with a caller-made {@code summary.txt} (see {@link #summary}). */
    public static void write(Path dir, Deployable model, Architecture arch, String summary, boolean force) {
        Path target = checkTarget(dir, force);
        boolean exists = Files.exists(target);
        Path parent = target.getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp");
        } catch (IOException e) {
            throw new ExportException("cannot write to " + parent + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            // inference network: no updater state (fine-tuning starts from ./nas train)
            ModelSerializer.writeModel(model.dl4j(), tmp.resolve("model.zip").toFile(), false);
            Files.write(tmp.resolve("model.onnx"), model.onnx().toByteArray());
            Files.writeString(tmp.resolve("architecture.json"), ArchitectureJson.write(arch));
            Files.writeString(tmp.resolve("summary.txt"), summary);
            if (exists) deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ExportException("cannot write export to " + target + ": " + e.getMessage());
        }
    }

    /** Fails early (before any training) when {@code dir} may not be written; returns its absolute path. */
    public static Path checkTarget(Path dir, boolean force) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new ExportException(target + " exists and is not a directory");
        }
        if (Files.exists(target) && !force && !isEmptyDir(target)) {
            throw new ExportException(target + " already exists and is not empty; use --force to overwrite it");
        }
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isWritable(existing)) {
            throw new ExportException("cannot write to " + target + ": " + (existing == null ? "no existing parent" : existing + " is not writable"));
        }
        return target;
    }

    /** Header lines (source, dataset, fidelity, scores, speed) followed by the layer table; {@code extra} goes after the scores. */
    public static String summary(Architecture arch, Fidelity fidelity, String dataset, EvaluationResult r, String provenance,
                                 String... extra) {
        StringBuilder sb = new StringBuilder();
        sb.append("AnyNAS export\n=============\n");
        sb.append("architecture: ").append(arch.oneLine()).append('\n');
        sb.append("hash:         ").append(ArchitectureJson.hash(arch)).append('\n');
        sb.append("source:       ").append(provenance).append('\n');
        sb.append("dataset:      ").append(dataset).append('\n');
        sb.append("fidelity:     ").append(fidelity.oneLine()).append('\n');
        sb.append(String.format(Locale.ROOT, "scores:       status %s, val_acc %.4f, val_loss %.4f%n",
                r.status().key(), r.valAccuracy(), r.valLoss()));
        for (String line : extra) sb.append(line).append('\n');
        sb.append(String.format(Locale.ROOT, "speed:        train %.0f img/s, inference %.2f ms/img at batch 1, %.0f img/s batched (%s)%n",
                r.trainImagesPerSec(), r.latencyMs(), r.inferencePerSec(), r.device()));
        sb.append("\n").append(GraphTable.render(arch.graph()));
        return sb.toString();
    }

    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // the temporary directory is hidden and named as such; nothing user-visible depends on it
        }
    }

    /** An export that cannot be written; the message says where and what to do. */
    public static final class ExportException extends RuntimeException {
        public ExportException(String message) {
            super(message);
        }
    }
}
