package org.anynas.cli;

import org.anynas.data.InputRule;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.OnnxRuntimeModel;
import org.anynas.space.Shape;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * An export folder's model in one runtime: model.onnx in ONNX Runtime (default) or model.zip in DL4J. Both take
 * images in [0, 1]; the input shape comes from model.onnx's metadata
 * (or architecture.json for model.zip), class names and the resize rule from model.onnx's metadata (label indices
 * and stretch without it).
 */
final class ExportedModel implements AutoCloseable {
    enum Runtime { ONNX, DL4J }

    private final Shape input;
    private final List<String> classNames;
    private final InputRule rule;
    private final OnnxRuntimeModel onnx;
    private final ComputationGraph dl4j;

    private ExportedModel(Shape input, List<String> classNames, InputRule rule, OnnxRuntimeModel onnx, ComputationGraph dl4j) {
        this.input = input;
        this.classNames = classNames;
        this.rule = rule;
        this.onnx = onnx;
        this.dl4j = dl4j;
    }

    static Runtime runtime(String name) {
        try {
            return Runtime.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--runtime must be onnx or dl4j, got '" + name + "'");
        }
    }

    static ExportedModel load(Path dir, Runtime runtime) {
        if (!Files.isDirectory(dir)) throw new UserError("--model " + dir + " is not a directory (an export of ./nas export or ./nas train)");
        Path onnxFile = dir.resolve("model.onnx");
        Path zip = dir.resolve("model.zip");
        if (runtime == Runtime.ONNX) {
            if (!Files.isRegularFile(onnxFile)) {
                throw new UserError("no model.onnx in " + dir + (Files.isRegularFile(zip) ? " (it has model.zip: use --runtime dl4j)" : ""));
            }
            OnnxRuntimeModel model = OnnxRuntimeModel.of(onnxFile);
            var meta = model.metadata();
            String shape = meta.get("input_shape");
            String names = meta.get("class_names");
            if (shape == null || names == null) {
                model.close();
                throw new UserError(onnxFile + " was not written by AnyNAS (no input_shape / class_names metadata)");
            }
            return new ExportedModel(parseShape(shape), ModelMetadata.classNames(names), rule(meta.get("input_rule")), model, null);
        }
        if (!Files.isRegularFile(zip)) throw new UserError("no model.zip in " + dir);
        ComputationGraph net;
        try {
            net = ComputationGraph.load(zip.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot load " + zip + ": " + e.getMessage());
        }
        Path archFile = dir.resolve("architecture.json");
        if (!Files.isRegularFile(archFile)) {
            net.clear();
            throw new UserError("no architecture.json in " + dir + " (it gives model.zip's input shape)");
        }
        Architecture arch = ArchitectureJson.read(archFile);
        Shape shape = arch.input();
        int classes = arch.classes();
        List<String> names = IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        InputRule rule = InputRule.STRETCH;
        if (Files.isRegularFile(onnxFile)) { // class names and the input rule live in the ONNX metadata
            try (OnnxRuntimeModel m = OnnxRuntimeModel.of(onnxFile)) {
                String n = m.metadata().get("class_names");
                if (n != null) names = ModelMetadata.classNames(n);
                rule = rule(m.metadata().get("input_rule"));
            }
        }
        return new ExportedModel(shape, names, rule, null, net);
    }

    /** The recorded resize rule; a model exported before rules were recorded was trained on stretched images. */
    private static InputRule rule(String recorded) {
        return recorded == null ? InputRule.STRETCH : InputRule.parse(recorded);
    }

    /** "[batch, 1, 28, 28]" → 1×28×28. */
    private static Shape parseShape(String s) {
        String[] parts = s.replaceAll("[\\[\\] ]", "").split(",");
        return Shape.of(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
    }

    Shape input() {
        return input;
    }

    /** How any image becomes this model's input (with {@link #input()}'s size and channels). */
    InputRule rule() {
        return rule;
    }

    List<String> classNames() {
        return classNames;
    }

    /** Probabilities [n][classes] for n images concatenated CHW. */
    float[][] probabilities(float[] images, int n) {
        if (onnx != null) return onnx.probabilities(images, n, input.channels(), input.height(), input.width());
        INDArray p = dl4j.outputSingle(false, Nd4j.create(images, new long[]{n, input.channels(), input.height(), input.width()}, 'c'));
        return p.toFloatMatrix();
    }

    @Override
    public void close() {
        if (onnx != null) onnx.close();
        if (dl4j != null) dl4j.clear();
    }
}
