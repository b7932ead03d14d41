package org.anynas.dl4j;

import org.anynas.trainer.Trainer;

import org.anynas.trainer.Confusion;
import org.anynas.trainer.EvaluationResult;

import onnx.Onnx;
import org.anynas.data.Dataset;
import org.anynas.data.ImageSet;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.OnnxWriter;
import org.anynas.dl4j.onnx.TorchWeights;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes an export directory: {@code model.zip} (DL4J ModelSerializer, loadable with {@code ComputationGraph.load}),
 * {@code model.onnx} (ONNX opset {@value OnnxWriter#OPSET}), {@code architecture.json} and a human-readable
 * {@code summary.txt}. Both model files take images in [0, 1] and standardise them first. The files are made and
 * checked against each other in memory ({@link #prepare}), then written through {@link ExportFolder} (a temporary
 * sibling directory moved into place, so a failure leaves nothing half-written).
 */
public final class ModelExport {
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
     * {@value Trainer#CHECK_IMAGES} of {@code testImages}; throws {@link ExportException} (one line) when they disagree.
     */
    public static Deployable prepare(ComputationGraph trained, Architecture arch, ModelMetadata metadata, ImageSet testImages) {
        return prepare(trained, arch, metadata, testImages, null);
    }

    /**
     * As {@link #prepare(ComputationGraph, Architecture, ModelMetadata, ImageSet)} for a network trained by PyTorch
     * whose weights were moved into {@code trained} ({@link TorchWeights}): PyTorch's own probabilities for the first
     * test images join the check, so all three runtimes must agree.
     */
    public static Deployable prepare(ComputationGraph trained, Architecture arch, ModelMetadata metadata, ImageSet testImages,
                                     INDArray torchProbabilities) {
        ComputationGraph dl4j = GraphTranslator.floats().deployable(arch.graph(), metadata.standardisation(), trained);
        try {
            Onnx.ModelProto onnx = OnnxWriter.of(arch.graph(), metadata).write(trained);
            ImageSet images = testImages.first(Trainer.CHECK_IMAGES);
            CrossRuntimeCheck check = torchProbabilities == null
                    ? CrossRuntimeCheck.of(trained, metadata.standardisation(), onnx, dl4j, images)
                    : CrossRuntimeCheck.withPyTorch(trained, metadata.standardisation(), onnx, dl4j, images, torchProbabilities);
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
        Deployable d = prepare(trained, arch, ModelMetadata.of(arch, dataset, standardisation, result.valAccuracy(),
                Double.NaN), dataset.checkImages());
        try {
            write(dir, d, arch, summary(arch, fidelity, dataset.name(), result, provenance, d.summaryLines()), force);
            return d.check();
        } finally {
            d.dl4j().clear();
        }
    }

    /** The exported network's predictions on {@code images} (pixels / 255, as users feed it) against their labels. */
    public static Confusion confusion(Deployable model, ImageSet images) {
        Confusion confusion = Confusion.of(images.classes());
        int per = images.imageBytes();
        int batch = 256;
        byte[] px = new byte[per];
        for (int from = 0; from < images.size(); from += batch) {
            int n = Math.min(batch, images.size() - from);
            float[] x = new float[n * per];
            for (int i = 0; i < n; i++) {
                images.copyImage(from + i, px, 0);
                for (int j = 0; j < per; j++) x[i * per + j] = (px[j] & 0xff) / 255f;
            }
            var shape = images.shape();
            INDArray p = model.dl4j().outputSingle(false, org.nd4j.linalg.factory.Nd4j.create(x,
                    new long[]{n, shape.channels(), shape.height(), shape.width()}, 'c'));
            long[] predicted = p.argMax(1).toLongVector();
            for (int i = 0; i < n; i++) confusion.add(images.label(from + i), (int) predicted[i]);
        }
        return confusion;
    }

    /** Writes checked model files and the architecture with a caller-made {@code summary.txt} (see {@link #summary}). */
    public static void write(Path dir, Deployable model, Architecture arch, String summary, boolean force) {
        write(dir, model, arch, summary, force, folder -> {
        });
    }

    /** As above, with more files (a PyTorch-trained network's {@code model.pt}) written into the same folder. */
    public static void write(Path dir, Deployable model, Architecture arch, String summary, boolean force,
                             ExportFolder.ModelFiles more) {
        ExportFolder.write(dir, arch, summary, force, folder -> {
            // inference network: no updater state (fine-tuning starts from ./nas train)
            ModelSerializer.writeModel(model.dl4j(), folder.resolve("model.zip").toFile(), false);
            java.nio.file.Files.write(folder.resolve("model.onnx"), model.onnx().toByteArray());
            more.writeTo(folder);
        });
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
