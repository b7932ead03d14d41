package org.anynas.space;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a search may choose from: the number of stages, and for the stem, each stage and the head a list of
 * choices per gene, plus AnyNetX constraints and budgets. Input shape and class count come from the dataset.
 */
public record DesignSpace(String name, int minStages, int maxStages,
                          List<Integer> stemWidths, List<Integer> stemKernels, List<Integer> stemStrides,
                          List<Activation> activations,
                          List<BlockType> blocks, List<Integer> depths, List<Integer> widths, List<Integer> kernels,
                          List<Double> bottlenecks, List<Boolean> depthwise, List<Double> se,
                          List<Downsample> downsamples,
                          List<Integer> headLayers, List<Integer> headWidths, List<Double> dropouts,
                          Constraints constraints, Budget budget) {

    public static final List<String> BUILT_IN = List.of("chain", "anynet", "multibranch");

    public DesignSpace {
        Fields.present("name", name);
        Fields.range("min_stages", minStages, 1, 6);
        Fields.range("max_stages", maxStages, minStages, 6);
        stemWidths = choices("stem_widths", stemWidths);
        stemKernels = choices("stem_kernels", stemKernels);
        stemStrides = choices("stem_strides", stemStrides);
        activations = choices("activations", activations);
        blocks = choices("blocks", blocks);
        depths = choices("depths", depths);
        widths = choices("widths", widths);
        kernels = choices("kernels", kernels);
        bottlenecks = choices("bottlenecks", bottlenecks);
        depthwise = choices("depthwise", depthwise);
        se = choices("se", se);
        downsamples = choices("downsamples", downsamples);
        headLayers = choices("head_layers", headLayers);
        headWidths = choices("head_widths", headWidths);
        dropouts = choices("dropouts", dropouts);
        if (constraints == null) constraints = Constraints.none();
        if (budget == null) budget = Budget.unlimited();
        for (int k : stemKernels) Fields.oddKernel("stem_kernels", k);
        for (int k : kernels) Fields.oddKernel("kernels", k);
        for (int h : headLayers) Fields.range("head_layers", h, 0, 2);
        if (activations.contains(Activation.SIGMOID)) throw new UserInputException("activations: sigmoid is reserved for SE gates");
    }

    private static <T> List<T> choices(String field, List<T> values) {
        if (values == null || values.isEmpty()) throw new UserInputException(field + " must list at least one choice");
        for (T v : values) if (v == null) throw new UserInputException(field + " contains an empty choice");
        if (values.stream().distinct().count() != values.size()) throw new UserInputException(field + " lists a choice twice");
        return List.copyOf(values);
    }

    /** A built-in space by name, or a YAML file; errors are one line naming the file and field. */
    public static DesignSpace load(String nameOrPath) {
        String key = nameOrPath.toLowerCase(Locale.ROOT);
        if (BUILT_IN.contains(key)) {
            try (InputStream in = DesignSpace.class.getResourceAsStream("/spaces/" + key + ".yaml")) {
                return Json.yaml().readValue(in, DesignSpace.class);
            } catch (IOException e) {
                throw new IllegalStateException("built-in space " + key + " is broken", e);
            }
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("design space '" + nameOrPath + "' is neither a built-in ("
                    + String.join(", ", BUILT_IN) + ") nor a readable file");
        }
        try {
            return Json.yaml().readValue(file.toFile(), DesignSpace.class);
        } catch (JsonProcessingException e) {
            throw new UserInputException(file + ": " + Json.problem(e));
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** This space as YAML, as a campaign stores it (so that a resume, or a comparison, sees the definition it started with). */
    public String toYaml() {
        try {
            return Json.yaml().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The genotype layout of this space for a dataset's input shape and classes. */
    public GenotypeLayout layout(Shape input, int classes) {
        return new GenotypeLayout(this, input, classes);
    }
}
