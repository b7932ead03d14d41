package org.anynas.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fixed-length integer genes over a {@link DesignSpace}: each gene is an index into one choice list. The
 * search wraps this in a Jenetics codec; {@code decode(encode(a)).equals(a)} for every canonical architecture
 * of the space. Genes of inactive stages (beyond the stage count) never influence the decoded network. The
 * decoded network fits the input size by {@link InputFit}'s rule: stem stride and downsampling adapt outside the
 * native 28–45 px, and genes that rule overrides are ignored like inactive ones.
 */
public final class GenotypeLayout {

    /** Gene order: global genes, then {@link #STAGE_GENES} genes per possible stage. */
    public enum Global { STAGES, STEM_WIDTH, STEM_KERNEL, STEM_STRIDE, ACTIVATION, HEAD_LAYERS, HEAD_WIDTH, DROPOUT }

    public enum StageGene { BLOCK, DEPTH, WIDTH, KERNEL, BOTTLENECK, DEPTHWISE, SE, DOWNSAMPLE }

    public static final int STAGE_GENES = StageGene.values().length;

    private final DesignSpace space;
    private final Shape input;
    private final int classes;
    private final InputFit fit;
    private final int[] sizes;

    GenotypeLayout(DesignSpace space, Shape input, int classes) {
        this.space = space;
        this.input = input;
        this.classes = classes;
        this.fit = InputFit.of(input, space.stemStrides());
        int n = Global.values().length + space.maxStages() * STAGE_GENES;
        sizes = new int[n];
        sizes[Global.STAGES.ordinal()] = space.maxStages() - space.minStages() + 1;
        sizes[Global.STEM_WIDTH.ordinal()] = space.stemWidths().size();
        sizes[Global.STEM_KERNEL.ordinal()] = space.stemKernels().size();
        sizes[Global.STEM_STRIDE.ordinal()] = space.stemStrides().size();
        sizes[Global.ACTIVATION.ordinal()] = space.activations().size();
        sizes[Global.HEAD_LAYERS.ordinal()] = space.headLayers().size();
        sizes[Global.HEAD_WIDTH.ordinal()] = space.headWidths().size();
        sizes[Global.DROPOUT.ordinal()] = space.dropouts().size();
        for (int s = 0; s < space.maxStages(); s++) {
            int base = stageBase(s);
            sizes[base + StageGene.BLOCK.ordinal()] = space.blocks().size();
            sizes[base + StageGene.DEPTH.ordinal()] = space.depths().size();
            sizes[base + StageGene.WIDTH.ordinal()] = space.widths().size();
            sizes[base + StageGene.KERNEL.ordinal()] = space.kernels().size();
            sizes[base + StageGene.BOTTLENECK.ordinal()] = space.bottlenecks().size();
            sizes[base + StageGene.DEPTHWISE.ordinal()] = space.depthwise().size();
            sizes[base + StageGene.SE.ordinal()] = space.se().size();
            sizes[base + StageGene.DOWNSAMPLE.ordinal()] = space.downsamples().size();
        }
    }

    public DesignSpace space() {
        return space;
    }

    public Shape input() {
        return input;
    }

    public int classes() {
        return classes;
    }

    /** How the space fits this input size. */
    public InputFit fit() {
        return fit;
    }

    /** The space's budget for this input size ({@link InputFit#budget}). */
    public Budget budget() {
        return fit.budget(space.budget());
    }

    public int length() {
        return sizes.length;
    }

    /** Number of choices of gene {@code i}: valid values are 0 … size − 1. */
    public int size(int i) {
        return sizes[i];
    }

    public static int stageBase(int stage) {
        return Global.values().length + stage * STAGE_GENES;
    }

    /** log10 of the number of distinct genotypes with active genes only. */
    public double log10Size() {
        double total = 0;
        for (int stages = space.minStages(); stages <= space.maxStages(); stages++) {
            double log = 0;
            for (int i = 1; i < Global.values().length; i++) log += Math.log10(sizes[i]);
            for (int s = 0; s < stages; s++) {
                for (int g = 0; g < STAGE_GENES; g++) log += Math.log10(sizes[stageBase(s) + g]);
            }
            total += Math.pow(10, log - 300);
        }
        return Math.log10(total) + 300;
    }

    public Architecture decode(int[] genes) {
        if (genes.length != sizes.length) {
            throw new UserInputException("genotype has " + genes.length + " genes, layout has " + sizes.length);
        }
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0 || genes[i] >= sizes[i]) {
                throw new UserInputException("gene " + i + " = " + genes[i] + " is outside [0, " + sizes[i] + ")");
            }
        }
        int stages = space.minStages() + genes[Global.STAGES.ordinal()];
        List<Stage> list = new ArrayList<>(stages);
        Constraints c = space.constraints();
        int stemStride = fit.stemStride(space.stemStrides().get(genes[Global.STEM_STRIDE.ordinal()]));
        int h = InputFit.afterStem(input.height(), stemStride);
        int w = InputFit.afterStem(input.width(), stemStride);
        for (int s = 0; s < stages; s++) {
            int b = stageBase(s);
            int depth = space.depths().get(genes[b + StageGene.DEPTH.ordinal()]);
            int width = space.widths().get(genes[b + StageGene.WIDTH.ordinal()]);
            double bottleneck = space.bottlenecks().get(genes[(c.sharedBottleneck() ? stageBase(0) : b) + StageGene.BOTTLENECK.ordinal()]);
            if (s > 0) {
                Stage prev = list.get(s - 1);
                if (c.nonDecreasingWidths()) width = Math.max(width, prev.width());
                if (c.nonDecreasingDepths()) depth = Math.max(depth, prev.depth());
            }
            BlockType block = space.blocks().get(genes[b + StageGene.BLOCK.ordinal()]);
            Downsample down = fit.mayHalve(h, w) ? space.downsamples().get(genes[b + StageGene.DOWNSAMPLE.ordinal()]) : Downsample.NONE;
            h = InputFit.afterStage(h, down, block);
            w = InputFit.afterStage(w, down, block);
            list.add(new Stage(block, depth, width,
                    space.kernels().get(genes[b + StageGene.KERNEL.ordinal()]), bottleneck,
                    space.depthwise().get(genes[b + StageGene.DEPTHWISE.ordinal()]),
                    space.se().get(genes[b + StageGene.SE.ordinal()]), down).canonical());
        }
        int layers = space.headLayers().get(genes[Global.HEAD_LAYERS.ordinal()]);
        Integer[] hidden = new Integer[layers];
        Arrays.fill(hidden, space.headWidths().get(genes[Global.HEAD_WIDTH.ordinal()]));
        Head head = Head.of(space.dropouts().get(genes[Global.DROPOUT.ordinal()]), hidden);
        Stem stem = Stem.of(space.stemWidths().get(genes[Global.STEM_WIDTH.ordinal()]),
                space.stemKernels().get(genes[Global.STEM_KERNEL.ordinal()]), stemStride);
        return Architecture.of(input, classes, space.activations().get(genes[Global.ACTIVATION.ordinal()]), stem, list, head);
    }

    /**
     * Genes for an architecture of this space. Genes a canonical architecture does not determine (inactive
     * stages, ignored stage genes, head width without hidden layers, the downsampling of a stage that keeps a small
     * map) are set to their first choice.
     */
    public int[] encode(Architecture a) {
        Architecture canon = a.canonical();
        if (!canon.input().equals(input) || canon.classes() != classes) {
            throw new UserInputException("architecture is for " + canon.input() + "/" + canon.classes()
                    + " classes, layout for " + input + "/" + classes);
        }
        int[] genes = new int[sizes.length];
        int stages = canon.stages().size();
        if (stages < space.minStages() || stages > space.maxStages()) {
            throw new UserInputException("architecture has " + stages + " stages, space allows "
                    + space.minStages() + "–" + space.maxStages());
        }
        genes[Global.STAGES.ordinal()] = stages - space.minStages();
        genes[Global.STEM_WIDTH.ordinal()] = index("stem width", space.stemWidths(), canon.stem().width());
        genes[Global.STEM_KERNEL.ordinal()] = index("stem kernel", space.stemKernels(), canon.stem().kernel());
        genes[Global.STEM_STRIDE.ordinal()] = stemStrideGene(canon.stem().stride());
        genes[Global.ACTIVATION.ordinal()] = index("activation", space.activations(), canon.activation());
        List<Integer> hidden = canon.head().hidden();
        genes[Global.HEAD_LAYERS.ordinal()] = index("head layers", space.headLayers(), hidden.size());
        if (!hidden.isEmpty()) {
            if (hidden.stream().distinct().count() > 1) throw new UserInputException("head layers of different widths are not in this space");
            genes[Global.HEAD_WIDTH.ordinal()] = index("head width", space.headWidths(), hidden.get(0));
        }
        genes[Global.DROPOUT.ordinal()] = index("dropout", space.dropouts(), canon.head().dropout());
        int h = InputFit.afterStem(input.height(), canon.stem().stride());
        int w = InputFit.afterStem(input.width(), canon.stem().stride());
        for (int s = 0; s < stages; s++) {
            Stage st = canon.stages().get(s);
            int b = stageBase(s);
            if (!fit.mayHalve(h, w) && st.downsample() != Downsample.NONE) {
                throw new UserInputException("stage " + (s + 1) + " downsamples a " + h + "×" + w + " map: at input "
                        + input + " this space keeps maps under " + InputFit.MIN_SIDE_TO_HALVE + " px");
            }
            genes[b + StageGene.BLOCK.ordinal()] = index("block", space.blocks(), st.block());
            genes[b + StageGene.DEPTH.ordinal()] = index("depth", space.depths(), st.depth());
            genes[b + StageGene.WIDTH.ordinal()] = index("width", space.widths(), st.width());
            genes[b + StageGene.KERNEL.ordinal()] = index("kernel", space.kernels(), st.kernel());
            genes[b + StageGene.BOTTLENECK.ordinal()] = st.block().usesBottleneck()
                    ? index("bottleneck", space.bottlenecks(), st.bottleneck()) : ignored(space.bottlenecks(), st.bottleneck());
            genes[b + StageGene.DEPTHWISE.ordinal()] = st.block() == BlockType.BOTTLENECK
                    ? index("depthwise", space.depthwise(), st.depthwise()) : ignored(space.depthwise(), st.depthwise());
            genes[b + StageGene.SE.ordinal()] = index("se", space.se(), st.se());
            genes[b + StageGene.DOWNSAMPLE.ordinal()] = fit.mayHalve(h, w)
                    ? index("downsample", space.downsamples(), st.downsample()) : ignored(space.downsamples(), st.downsample());
            h = InputFit.afterStage(h, st.downsample(), st.block());
            w = InputFit.afterStage(w, st.downsample(), st.block());
        }
        if (space.constraints().sharedBottleneck()) {
            // decode reads the shared ratio from stage 1's gene, whichever stage actually uses it
            canon.stages().stream().filter(st -> st.block().usesBottleneck()).findFirst().ifPresent(st ->
                    genes[stageBase(0) + StageGene.BOTTLENECK.ordinal()] = index("bottleneck", space.bottlenecks(), st.bottleneck()));
        }
        return genes;
    }

    /** The first stem-stride choice that decodes to {@code stride} at this input. */
    private int stemStrideGene(int stride) {
        for (int i = 0; i < space.stemStrides().size(); i++) {
            if (fit.stemStride(space.stemStrides().get(i)) == stride) return i;
        }
        throw new UserInputException("stem stride " + stride + " is not a choice of this space at input " + input
                + " (choices " + space.stemStrides() + ", " + fit.describe() + ")");
    }

    /** A gene the block type ignores: the matching choice if there is one, else the first. */
    private static <T> int ignored(List<T> choices, T value) {
        return Math.max(0, choices.indexOf(value));
    }

    private static <T> int index(String gene, List<T> choices, T value) {
        int i = choices.indexOf(value);
        if (i < 0) throw new UserInputException(gene + " " + value + " is not a choice of this space " + choices);
        return i;
    }
}
