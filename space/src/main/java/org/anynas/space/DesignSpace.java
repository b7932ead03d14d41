package org.anynas.space;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a search may choose from: the number of stages, and for the stem, each stage and the head a list of
 * choices per gene, plus AnyNetX constraints and budgets. Input shape and class count come from the dataset.
 *
 * <p>Keys added after campaigns stored their space (each stores a snapshot of it) are optional, so a stored space
 * reads, lays out its genes and decodes as it did: {@code group_widths} (absent: no group-width gene; required when
 * blocks lists x) and {@code regnet} (absent: per-stage genes). A RegNet space ({@code regnet} present) draws depths
 * and widths from its rule instead of per-stage genes, so it lists neither {@code depths} nor {@code widths}.
 */
public record DesignSpace(String name, int minStages, int maxStages,
                          List<Integer> stemWidths, List<Integer> stemKernels, List<Integer> stemStrides,
                          List<Activation> activations,
                          List<BlockType> blocks,
                          @JsonInclude(JsonInclude.Include.NON_NULL)
                          @JacksonInject(value = Json.ABSENT + "depths", useInput = OptBoolean.TRUE) List<Integer> depths,
                          @JsonInclude(JsonInclude.Include.NON_NULL)
                          @JacksonInject(value = Json.ABSENT + "widths", useInput = OptBoolean.TRUE) List<Integer> widths,
                          List<Integer> kernels,
                          List<Double> bottlenecks, List<Boolean> depthwise, List<Double> se,
                          List<Downsample> downsamples,
                          List<Integer> headLayers, List<Integer> headWidths, List<Double> dropouts,
                          Constraints constraints, Budget budget,
                          @JsonInclude(JsonInclude.Include.NON_NULL)
                          @JacksonInject(value = Json.ABSENT + "group_widths", useInput = OptBoolean.TRUE) List<Integer> groupWidths,
                          @JsonInclude(JsonInclude.Include.NON_NULL)
                          @JacksonInject(value = Json.ABSENT + "regnet", useInput = OptBoolean.TRUE) RegNetRule regnet) {

    /**
     * AnyNetX-A … E (Radosavovic et al. 2020, §3): one space, anynetx.yaml, under the paper's constraints, each letter
     * adding one to the previous: B shares the bottleneck ratio, C also the group width, D makes widths and E depths
     * non-decreasing.
     */
    public static final Map<String, Constraints> ANYNETX = anynetx();

    public static final List<String> BUILT_IN = List.of("chain", "anynet", "multibranch",
            "anynetx-a", "anynetx-b", "anynetx-c", "anynetx-d", "anynetx-e", "regnet");

    private static Map<String, Constraints> anynetx() {
        Map<String, Constraints> m = new LinkedHashMap<>();
        m.put("anynetx-a", Constraints.none());
        m.put("anynetx-b", new Constraints(true, false, false, false));
        m.put("anynetx-c", new Constraints(true, false, false, true));
        m.put("anynetx-d", new Constraints(true, true, false, true));
        m.put("anynetx-e", new Constraints(true, true, true, true));
        return Map.copyOf(m);
    }

    public DesignSpace {
        Fields.present("name", name);
        Fields.range("min_stages", minStages, 1, 6);
        Fields.range("max_stages", maxStages, minStages, 6);
        stemWidths = choices("stem_widths", stemWidths);
        stemKernels = choices("stem_kernels", stemKernels);
        stemStrides = choices("stem_strides", stemStrides);
        activations = choices("activations", activations);
        blocks = choices("blocks", blocks);
        if (regnet == null) {
            depths = choices("depths", depths);
            widths = choices("widths", widths);
        } else {
            if (depths != null || widths != null) {
                throw new UserInputException("a regnet space takes its depths and widths from regnet: remove depths and widths");
            }
            if (!blocks.equals(List.of(BlockType.X))) throw new UserInputException("a regnet space has x blocks: blocks must be [x]");
            if (!List.of(Downsample.STRIDE).equals(downsamples)) throw new UserInputException("a regnet space's stages stride: downsamples must be [stride]");
            if (groupWidths == null) throw new UserInputException("a regnet space needs group_widths (its g), e.g. [1, 2, 4, 8, 16, 32]");
        }
        if (groupWidths != null) {
            groupWidths = choices("group_widths", groupWidths);
            for (int g : groupWidths) Fields.range("group_widths", g, 1, 4096);
        } else if (blocks.contains(BlockType.X)) {
            throw new UserInputException("blocks lists x: list its group widths in group_widths, e.g. [1, 2, 4, 8, 16, 32]");
        }
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
        if (ANYNETX.containsKey(key)) return builtIn("anynetx").as(key, ANYNETX.get(key));
        if (BUILT_IN.contains(key)) return builtIn(key);
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

    private static DesignSpace builtIn(String file) {
        try (InputStream in = DesignSpace.class.getResourceAsStream("/spaces/" + file + ".yaml")) {
            return Json.yaml().readValue(in, DesignSpace.class);
        } catch (IOException e) {
            throw new IllegalStateException("built-in space " + file + " is broken", e);
        }
    }

    /** This space under another name and constraints. */
    public DesignSpace as(String newName, Constraints newConstraints) {
        return new DesignSpace(newName, minStages, maxStages, stemWidths, stemKernels, stemStrides, activations, blocks,
                depths, widths, kernels, bottlenecks, depthwise, se, downsamples, headLayers, headWidths, dropouts,
                newConstraints, budget, groupWidths, regnet);
    }

    /** Whether genes are per stage ({@link GenotypeLayout}) rather than a RegNet rule's. */
    public boolean perStage() {
        return regnet == null;
    }

    /** The genome of this space for a dataset's input shape and classes: per-stage genes or a RegNet rule's. */
    public Genome genome(Shape input, int classes) {
        return regnet == null ? layout(input, classes) : new RegNetLayout(this, input, classes);
    }

    /** The per-stage genotype layout of this space (not a RegNet space: {@link #genome}). */
    public GenotypeLayout layout(Shape input, int classes) {
        if (regnet != null) throw new IllegalStateException("space " + name + " is a regnet space: use genome()");
        return new GenotypeLayout(this, input, classes);
    }
}
