package org.anynas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-length integer genes over a {@link DesignSpace}: each gene is an index into one choice list. The
 * search wraps this in a Jenetics codec; {@code decode(encode(a)).equals(a)} for every canonical architecture
 * of the space. Genes of inactive stages (beyond the stage count) never influence the decoded network. The
 * decoded network fits the input size by {@link InputFit}'s rule: stem stride and downsampling adapt outside the
 * native 28–45 px, and genes that rule overrides are ignored like inactive ones.
 */
public final class GenotypeLayout implements Genome {

    /** Gene order: global genes, then {@link #stageGenes()} genes per possible stage. */
    public enum Global { STAGES, STEM_WIDTH, STEM_KERNEL, STEM_STRIDE, ACTIVATION, HEAD_LAYERS, HEAD_WIDTH, DROPOUT }

    /**
     * A stage's genes in order. GROUP_WIDTH exists only in spaces that list group_widths, so the genes of a space
     * written before it (and of a campaign's stored snapshot of one) are what they were.
     */
    public enum StageGene { BLOCK, DEPTH, WIDTH, KERNEL, BOTTLENECK, DEPTHWISE, SE, DOWNSAMPLE, GROUP_WIDTH }

    private final DesignSpace space;
    private final Shape input;
    private final int classes;
    private final InputFit fit;
    private final int stageGenes;
    private final int[] sizes;

    GenotypeLayout(DesignSpace space, Shape input, int classes) {
        this.space = space;
        this.input = input;
        this.classes = classes;
        this.fit = InputFit.of(input, space.stemStrides());
        this.stageGenes = StageGene.values().length - (space.groupWidths() == null ? 1 : 0);
        int n = Global.values().length + space.maxStages() * stageGenes;
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
            if (hasGroupWidths()) sizes[base + StageGene.GROUP_WIDTH.ordinal()] = space.groupWidths().size();
        }
    }

    private boolean hasGroupWidths() {
        return stageGenes > StageGene.GROUP_WIDTH.ordinal();
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

    /** Stage genes and the stage count are ordered lists; block, kernel, SE, downsample and the globals are redrawn. */
    @Override
    public boolean ordered(int i) {
        if (i < Global.values().length) return i == Global.STAGES.ordinal();
        StageGene g = StageGene.values()[(i - Global.values().length) % stageGenes];
        return g == StageGene.DEPTH || g == StageGene.WIDTH || g == StageGene.BOTTLENECK || g == StageGene.GROUP_WIDTH;
    }

    @Override
    public int stageGenes() {
        return stageGenes;
    }

    @Override
    public int stageBase(int stage) {
        return Global.values().length + stage * stageGenes;
    }

    @Override
    public int activeStages(int[] genes) {
        return space.minStages() + genes[Global.STAGES.ordinal()];
    }

    /** log10 of the number of distinct genotypes with active genes only, a shared gene counted once. */
    @Override
    public double log10Size() {
        double total = 0;
        for (int stages = space.minStages(); stages <= space.maxStages(); stages++) {
            double log = 0;
            for (int i = 1; i < Global.values().length; i++) log += Math.log10(sizes[i]);
            for (int s = 0; s < stages; s++) {
                for (int g = 0; g < stageGenes; g++) {
                    if (s > 0 && shared(g)) continue; // read from stage 1's gene
                    log += Math.log10(sizes[stageBase(s) + g]);
                }
            }
            total += Math.pow(10, log - 300);
        }
        return Math.log10(total) + 300;
    }

    /** Whether stage gene {@code g} is shared: decode reads stage 1's for every stage. */
    private boolean shared(int g) {
        Constraints c = space.constraints();
        return g == StageGene.BOTTLENECK.ordinal() && c.sharedBottleneck() || g == StageGene.GROUP_WIDTH.ordinal() && c.sharedGroupWidth();
    }

    @Override
    public Architecture decode(int[] genes) {
        check(genes);
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
            int kernel = space.kernels().get(genes[b + StageGene.KERNEL.ordinal()]);
            double se = space.se().get(genes[b + StageGene.SE.ordinal()]);
            list.add(block == BlockType.X
                    ? Stage.x(depth, width, kernel, bottleneck, groupWidth(genes, b), se, down)
                    : new Stage(block, depth, width, kernel, bottleneck,
                    space.depthwise().get(genes[b + StageGene.DEPTHWISE.ordinal()]), se, down, 0).canonical());
        }
        Head head = Head.repeated(space.dropouts().get(genes[Global.DROPOUT.ordinal()]),
                space.headLayers().get(genes[Global.HEAD_LAYERS.ordinal()]), space.headWidths().get(genes[Global.HEAD_WIDTH.ordinal()]));
        Stem stem = Stem.of(space.stemWidths().get(genes[Global.STEM_WIDTH.ordinal()]),
                space.stemKernels().get(genes[Global.STEM_KERNEL.ordinal()]), stemStride);
        return Architecture.of(input, classes, space.activations().get(genes[Global.ACTIVATION.ordinal()]), stem, list, head);
    }

    /**
     * Genes for an architecture of this space. Genes a canonical architecture does not determine (inactive
     * stages, ignored stage genes, head width without hidden layers, the downsampling of a stage that keeps a small
     * map) are set to their first choice.
     */
    @Override
    public int[] encode(Architecture a) {
        Architecture canon = a.canonical();
        requireInput(canon);
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
        int sharedGroup = space.constraints().sharedGroupWidth() ? sharedGroupGene(canon.stages()) : -1;
        for (int s = 0; s < stages; s++) {
            Stage st = canon.stages().get(s);
            int b = stageBase(s);
            if (!fit.mayHalve(h, w) && st.downsample() != Downsample.NONE) {
                throw new UserInputException("stage " + (s + 1) + " downsamples a " + h + "×" + w + " map: at input "
                        + input + " this space keeps maps under " + InputFit.MIN_SIDE_TO_HALVE + " px");
            }
            genes[b + StageGene.BLOCK.ordinal()] = index("block", space.blocks(), st.block());
            genes[b + StageGene.DEPTH.ordinal()] = index("depth", space.depths(), st.depth());
            if (st.block() == BlockType.X) {
                // the width and group-width genes that the compatibility adjustment turns into this stage's
                int g = sharedGroup >= 0 ? sharedGroup : firstGroupGene(st);
                genes[b + StageGene.GROUP_WIDTH.ordinal()] = g;
                genes[b + StageGene.WIDTH.ordinal()] = xWidthGene(st, g);
            } else {
                genes[b + StageGene.WIDTH.ordinal()] = index("width", space.widths(), st.width());
            }
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
        if (sharedGroup >= 0) genes[stageBase(0) + StageGene.GROUP_WIDTH.ordinal()] = sharedGroup;
        if (space.constraints().sharedBottleneck()) {
            // decode reads the shared ratio from stage 1's gene, whichever stage actually uses it
            canon.stages().stream().filter(st -> st.block().usesBottleneck()).findFirst().ifPresent(st ->
                    genes[stageBase(0) + StageGene.BOTTLENECK.ordinal()] = index("bottleneck", space.bottlenecks(), st.bottleneck()));
        }
        return genes;
    }

    /** The group-width gene's choice, stage 1's when the space shares it (X blocks only: spaces with them list it). */
    private int groupWidth(int[] genes, int base) {
        int at = (space.constraints().sharedGroupWidth() ? stageBase(0) : base) + StageGene.GROUP_WIDTH.ordinal();
        return space.groupWidths().get(genes[at]);
    }

    /** The width gene that decodes, with group-width gene {@code g}, to X stage {@code st}; -1 if none. */
    private int xWidthGeneOrNone(Stage st, int g) {
        for (int i = 0; i < space.widths().size(); i++) {
            Stage x = Stage.x(st.depth(), space.widths().get(i), st.kernel(), st.bottleneck(), space.groupWidths().get(g),
                    st.se(), st.downsample());
            if (x.width() == st.width() && x.groupWidth() == st.groupWidth()) return i;
        }
        return -1;
    }

    private int xWidthGene(Stage st, int g) {
        int i = xWidthGeneOrNone(st, g);
        if (i < 0) {
            throw new UserInputException("x stage of width " + st.width() + " and group width " + st.groupWidth()
                    + " is not in this space (widths " + space.widths() + ", group_widths " + space.groupWidths()
                    + ", adjusted for compatibility as pycls)");
        }
        return i;
    }

    private int firstGroupGene(Stage st) {
        for (int g = 0; g < space.groupWidths().size(); g++) if (xWidthGeneOrNone(st, g) >= 0) return g;
        return xWidthGene(st, 0); // throws, naming the stage
    }

    /** The first group-width gene from which every X stage decodes (shared group width); 0 without X stages. */
    private int sharedGroupGene(List<Stage> stages) {
        List<Stage> xs = stages.stream().filter(st -> st.block() == BlockType.X).toList();
        for (int g = 0; g < space.groupWidths().size(); g++) {
            int gene = g;
            if (xs.stream().allMatch(st -> xWidthGeneOrNone(st, gene) >= 0)) return g;
        }
        if (xs.isEmpty()) return 0;
        throw new UserInputException("the x stages' group widths " + xs.stream().map(Stage::groupWidth).toList()
                + " do not come from one shared group width of " + space.groupWidths());
    }

    /** A gene the block type ignores: the matching choice if there is one, else the first. */
    private static <T> int ignored(List<T> choices, T value) {
        return Math.max(0, choices.indexOf(value));
    }

    private static <T> int index(String gene, List<T> choices, T value) {
        return Genome.choice(gene, choices, value);
    }
}
