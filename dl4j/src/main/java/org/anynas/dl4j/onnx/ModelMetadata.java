package org.anynas.dl4j.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.anynas.dl4j.Standardisation;
import org.anynas.data.Dataset;
import org.anynas.data.InputRule;
import org.anynas.data.KnownDataset;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a deployed model needs to be used correctly: its input, classes and provenance. Stored as the ONNX
 * model's metadata_props and as lines of summary.txt.
 */
public record ModelMetadata(String inputName, Shape input, List<String> classNames, String dataset,
                            String architectureHash, Standardisation standardisation, double valAccuracy,
                            double testAccuracy, InputRule rule) {

    /** Name of the ONNX graph's input (images, float32 NCHW, pixel / 255). */
    public static final String INPUT = "image";
    /** Name of the ONNX graph's output (class probabilities). */
    public static final String OUTPUT = "probabilities";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelMetadata {
        classNames = List.copyOf(classNames);
    }

    /** {@code testAccuracy} is NaN when the test set was not measured (search exports). */
    public static ModelMetadata of(Architecture arch, Dataset dataset, Standardisation standardisation, double valAccuracy,
                                   double testAccuracy) {
        return new ModelMetadata(INPUT, arch.input(), dataset.classNames(), dataset.name(),
                ArchitectureJson.hash(arch), standardisation, valAccuracy, testAccuracy, dataset.input());
    }

    /** For a built-in dataset by name (class names as its authors give them, or label indices). */
    public static ModelMetadata of(Architecture arch, String dataset, Standardisation standardisation, double valAccuracy,
                                   double testAccuracy) {
        return new ModelMetadata(INPUT, arch.input(), KnownDataset.classNames(dataset, arch.classes()), dataset,
                ArchitectureJson.hash(arch), standardisation, valAccuracy, testAccuracy, InputRule.STRETCH);
    }

    public String inputShape() {
        return "[batch, " + input.channels() + ", " + input.height() + ", " + input.width() + "]";
    }

    /** The ONNX metadata_props, in this order. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("input_name", inputName);
        p.put("input_shape", inputShape());
        p.put("input_format", "float32 NCHW, pixel / 255 in [0, 1]; the model standardises it itself");
        p.put("input_rule", rule.oneLine() + " channels=" + input.channels() + " size=" + input.height() + "x" + input.width());
        p.put("standardisation", standardisation.oneLine());
        p.put("output_name", OUTPUT);
        p.put("class_names", json(classNames));
        p.put("dataset", dataset);
        p.put("architecture_hash", architectureHash);
        p.put("val_acc", score(valAccuracy));
        if (!Double.isNaN(testAccuracy)) p.put("test_acc", score(testAccuracy));
        return p;
    }

    /** The same facts as summary.txt lines. */
    public List<String> summaryLines() {
        return List.of(
                "input:        " + inputName + " " + inputShape() + ", float32 NCHW, pixel / 255 in [0, 1]",
                "preprocess:   any image: " + rule.oneLine() + " to " + input.height() + "×" + input.width() + ", "
                        + (input.channels() == 1 ? "grey (colour by BT.601 luma)" : input.channels() + " channels (grey repeated)"),
                "standardise:  " + standardisation.oneLine() + " (the first operation of model.onnx and model.zip)",
                "classes:      " + String.join(", ", classNames));
    }

    /** Class names back from the {@code class_names} property. */
    public static List<String> classNames(String json) {
        try {
            return List.of(JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("class_names is not a JSON list of strings: " + json);
        }
    }

    private static String json(List<String> names) {
        try {
            return JSON.writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String score(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
