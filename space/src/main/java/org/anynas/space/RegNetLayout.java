package org.anynas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * The genome of a RegNet space: the stem and head genes of {@link GenotypeLayout} (no stage count) and one gene each
 * for d, w_0, w_a, w_m, g, the bottleneck multiplier, the kernel and SE, shared by every stage. The stages follow
 * from {@link RegNetRule#stages}, each an X stage that halves the map (every RegNet stage has stride 2) unless the
 * map is under {@link InputFit#MIN_SIDE_TO_HALVE} px, with g and the width made compatible ({@link Stage#x}). A rule
 * giving more or fewer stages than the space's min_stages–max_stages is no network of the space.
 */
public final class RegNetLayout implements Genome {

    /** Gene order. */
    public enum Gene {
        STEM_WIDTH, STEM_KERNEL, STEM_STRIDE, ACTIVATION, HEAD_LAYERS, HEAD_WIDTH, DROPOUT,
        DEPTH, W0, WA, WM, GROUP_WIDTH, BOTTLENECK, KERNEL, SE
    }

    private final DesignSpace space;
    private final RegNetRule rule;
    private final Shape input;
    private final int classes;
    private final InputFit fit;
    private final int[] sizes;

    RegNetLayout(DesignSpace space, Shape input, int classes) {
        this.space = space;
        this.rule = space.regnet();
        this.input = input;
        this.classes = classes;
        this.fit = InputFit.of(input, space.stemStrides());
        List<? extends List<?>> lists = lists();
        sizes = new int[lists.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = lists.get(i).size();
    }

    /** The choice list of each gene, in {@link Gene} order. */
    private List<? extends List<?>> lists() {
        return List.of(space.stemWidths(), space.stemKernels(), space.stemStrides(), space.activations(),
                space.headLayers(), space.headWidths(), space.dropouts(),
                rule.depths(), rule.w0(), rule.wa(), rule.wm(), space.groupWidths(), space.bottlenecks(),
                space.kernels(), space.se());
    }

    @Override
    public DesignSpace space() {
        return space;
    }

    @Override
    public Shape input() {
        return input;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public InputFit fit() {
        return fit;
    }

    @Override
    public int length() {
        return sizes.length;
    }

    @Override
    public int size(int i) {
        return sizes[i];
    }

    /** The rule's parameters, g and the bottleneck are ordered choice lists; the rest are redrawn. */
    @Override
    public boolean ordered(int i) {
        return i >= Gene.DEPTH.ordinal() && i <= Gene.BOTTLENECK.ordinal();
    }

    @Override
    public double log10Size() {
        double log = 0;
        for (int n : sizes) log += Math.log10(n);
        return log;
    }

    private <T> T get(int[] genes, Gene g, List<T> choices) {
        return choices.get(genes[g.ordinal()]);
    }

    @Override
    public Architecture decode(int[] genes) {
        check(genes);
        List<RegNetRule.Segment> segments = RegNetRule.stages(get(genes, Gene.DEPTH, rule.depths()),
                get(genes, Gene.W0, rule.w0()), get(genes, Gene.WA, rule.wa()), get(genes, Gene.WM, rule.wm()));
        if (segments.size() < space.minStages() || segments.size() > space.maxStages()) {
            throw new InvalidArchitectureException("the regnet rule gives " + segments.size() + " stages, space "
                    + space.name() + " allows " + space.minStages() + "–" + space.maxStages());
        }
        int stemStride = fit.stemStride(get(genes, Gene.STEM_STRIDE, space.stemStrides()));
        int h = InputFit.afterStem(input.height(), stemStride);
        int w = InputFit.afterStem(input.width(), stemStride);
        List<Stage> stages = new ArrayList<>(segments.size());
        for (RegNetRule.Segment seg : segments) {
            // every RegNet stage has stride 2; here none halves a map under 4 px, at any input size
            Downsample down = Math.min(h, w) >= InputFit.MIN_SIDE_TO_HALVE ? Downsample.STRIDE : Downsample.NONE;
            h = InputFit.afterStage(h, down, BlockType.X);
            w = InputFit.afterStage(w, down, BlockType.X);
            stages.add(Stage.x(seg.depth(), seg.width(), get(genes, Gene.KERNEL, space.kernels()),
                    get(genes, Gene.BOTTLENECK, space.bottlenecks()), get(genes, Gene.GROUP_WIDTH, space.groupWidths()),
                    get(genes, Gene.SE, space.se()), down));
        }
        Head head = Head.repeated(get(genes, Gene.DROPOUT, space.dropouts()), get(genes, Gene.HEAD_LAYERS, space.headLayers()),
                get(genes, Gene.HEAD_WIDTH, space.headWidths()));
        Stem stem = Stem.of(get(genes, Gene.STEM_WIDTH, space.stemWidths()), get(genes, Gene.STEM_KERNEL, space.stemKernels()),
                stemStride);
        return Architecture.of(input, classes, get(genes, Gene.ACTIVATION, space.activations()), stem, stages, head);
    }

    /**
     * Genes that decode to {@code a}: stem, head, kernel, SE and d (the sum of the stage depths) are read off, and the
     * first w_0, w_a, w_m, g and bottleneck (in gene order) whose rule gives {@code a}'s stages are searched for.
     */
    @Override
    public int[] encode(Architecture a) {
        Architecture canon = a.canonical();
        requireInput(canon);
        Stage first = canon.stages().get(0);
        int[] genes = new int[sizes.length];
        set(genes, Gene.STEM_WIDTH, space.stemWidths(), canon.stem().width());
        set(genes, Gene.STEM_KERNEL, space.stemKernels(), canon.stem().kernel());
        genes[Gene.STEM_STRIDE.ordinal()] = stemStrideGene(canon.stem().stride());
        set(genes, Gene.ACTIVATION, space.activations(), canon.activation());
        List<Integer> hidden = canon.head().hidden();
        set(genes, Gene.HEAD_LAYERS, space.headLayers(), hidden.size());
        if (!hidden.isEmpty()) set(genes, Gene.HEAD_WIDTH, space.headWidths(), hidden.get(0));
        set(genes, Gene.DROPOUT, space.dropouts(), canon.head().dropout());
        set(genes, Gene.DEPTH, rule.depths(), canon.stages().stream().mapToInt(Stage::depth).sum());
        set(genes, Gene.KERNEL, space.kernels(), first.kernel());
        set(genes, Gene.SE, space.se(), first.se());
        int from = Gene.W0.ordinal();
        int to = Gene.BOTTLENECK.ordinal();
        do {
            try {
                if (decode(genes).equals(canon)) return genes;
            } catch (InvalidArchitectureException e) {
                // the rule gives a stage count outside the space: not this one
            }
        } while (next(genes, from, to));
        throw new UserInputException("architecture " + canon.oneLine() + " is not a network of regnet space " + space.name());
    }

    private static <T> void set(int[] genes, Gene g, List<T> choices, T value) {
        genes[g.ordinal()] = Genome.choice(g.name().toLowerCase(java.util.Locale.ROOT), choices, value);
    }

    /** Counts genes {@code from … to} up like an odometer (last fastest); false after the last combination. */
    private boolean next(int[] genes, int from, int to) {
        for (int i = to; i >= from; i--) {
            if (++genes[i] < sizes[i]) return true;
            genes[i] = 0;
        }
        return false;
    }
}
