package org.anynas.space;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The X block, AnyNetX-A … E and RegNet against pycls and torchvision. The reference figures were read off
 * torchvision 0.14 (torch 1.13, CPU) offline: {@code BlockParams.from_init_params(...)} for depths, widths and group
 * widths, {@code sum(p.numel() for p in model.parameters())} for parameters, and a forward hook summing
 * output elements × (C_in / groups) × k² over Conv2d and in × out over Linear for MACs, at 3×224×224 with 1000 classes.
 */
class XBlockTest {

    /** torchvision's RegNet: 3×3 stride-2 stem of 32, stages of X blocks that each stride 2, GAP, one FC. */
    static Architecture regnet(int d, int w0, double wa, double wm, int g, double se) {
        List<Stage> stages = new ArrayList<>();
        for (RegNetRule.Segment s : RegNetRule.stages(d, w0, wa, wm)) {
            stages.add(Stage.x(s.depth(), s.width(), 3, 1.0, g, se, Downsample.STRIDE));
        }
        return Architecture.of(Shape.of(3, 224, 224), 1000, Activation.RELU, Stem.of(32, 3, 2), stages, Head.of(0.0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            // name; d; w0; wa; wm; g; se; depths; widths; params; MACs
            "RegNetX-200MF (pycls, not a torchvision builder);13;24;36.44;2.49;8;0;1 1 4 7;24 56 152 368;2684792;199039872",
            // pycls rounds the last stage's inner width 392 to 384 (392 / 16 = 24.5, half to even), as the paper's 5.2M
            // parameters; torchvision's _make_divisible rounds it up to 400 (see the next test). Figures: torchvision's
            // RegNet class given pycls's stages.
            "RegNetX-400MF (pycls);22;24;24.48;2.54;16;0;1 2 7 12;32 64 160 384;5157512;397677568",
            "regnet_x_800mf;16;56;35.73;2.28;16;0;1 3 7 5;64 128 288 672;7259656;799699712",
            "regnet_x_1_6gf;18;80;34.01;2.25;24;0;2 4 10 2;72 168 408 912;9190136;1602849792",
            "regnet_y_400mf (Y block: SE 0.25 of the block input);16;48;27.89;2.09;8;0.25;1 3 6 6;48 104 208 440;4344144;401842848",
    })
    void regnetRuleGivesThePublishedStagesAndTorchvisionsParametersAndMacs(String name, int d, int w0, double wa, double wm,
                                                                         int g, double se, String depths, String widths,
                                                                         long params, long macs) {
        Architecture a = regnet(d, w0, wa, wm, g, se);
        assertThat(a.stages()).extracting(Stage::depth).containsExactlyElementsOf(ints(depths));
        assertThat(a.stages()).extracting(Stage::width).containsExactlyElementsOf(ints(widths));
        assertThat(a.stages()).extracting(Stage::groupWidth).containsOnly(g);
        OpGraph graph = a.graph();
        assertThat(graph.outputShape()).isEqualTo(Shape.vector(1000));
        assertThat(graph.params()).isEqualTo(params);
        assertThat(graph.macs()).isEqualTo(macs);
    }

    @Test
    void torchvisionsRegnetX400mfWithItsLastStageRoundedUpTo400() {
        Architecture pycls = regnet(22, 24, 24.48, 2.54, 16, 0);
        List<Stage> stages = new ArrayList<>(pycls.stages());
        stages.set(3, Stage.x(12, 400, 3, 1.0, 16, 0, Downsample.STRIDE));
        OpGraph g = Architecture.of(pycls.input(), 1000, Activation.RELU, pycls.stem(), stages, pycls.head()).graph();
        assertThat(g.params()).isEqualTo(5_495_976);
        assertThat(g.macs()).isEqualTo(413_812_608);
    }

    private static List<Integer> ints(String s) {
        return java.util.Arrays.stream(s.split(" ")).map(Integer::valueOf).toList();
    }

    @Test
    void theXBlockIsPyclssBottleneckWithAGroupedConvAndTheSeAfterIt() {
        Stage s = Stage.x(1, 64, 3, 0.5, 8, 0.25, Downsample.STRIDE);
        Architecture a = Architecture.of(Shape.of(3, 32, 32), 10, Activation.RELU, Stem.of(16, 3, 1), List.of(s), Head.of(0.0));
        OpGraph g = a.graph();
        List<String> names = g.nodes().stream().map(Node::name).filter(n -> n.startsWith("s1b1")).toList();
        assertThat(names).containsExactly("s1b1_a_conv", "s1b1_a_bn", "s1b1_a_relu",
                "s1b1_b_conv", "s1b1_b_bn", "s1b1_b_relu",
                "s1b1_se_pool", "s1b1_se_reduce", "s1b1_se_relu", "s1b1_se_expand", "s1b1_se_sigmoid", "s1b1_se_scale",
                "s1b1_c_conv", "s1b1_c_bn", "s1b1_proj_conv", "s1b1_proj_bn", "s1b1_add", "s1b1_out_relu");
        Op.Conv grouped = (Op.Conv) op(g, "s1b1_b_conv");
        assertThat(grouped.filters()).isEqualTo(32); // inner = 64 × 0.5 (the paper's b = 2)
        assertThat(grouped.groups()).isEqualTo(4);   // 32 / g 8
        assertThat(grouped.stride()).isEqualTo(2);
        assertThat(((Op.Dense) op(g, "s1b1_se_reduce")).units()).isEqualTo(4); // round(16 in × 0.25)
        assertThat(g.layer("s1b1_out_relu").output()).isEqualTo(Shape.of(64, 16, 16));
    }

    private static Op op(OpGraph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow().op();
    }

    @ParameterizedTest
    @CsvSource({
            // width, multiplier, g → width, g (pycls adjust_block_compatibility)
            "48, 0.25, 8, 64, 8",   // inner 12 → 16 (12 / 8 = 1.5 rounds to even 2)
            "40, 0.25, 8, 32, 8",   // inner 10 → 8
            "24, 1.0, 16, 32, 16",  // RegNetX-400MF's first stage
            "24, 0.5, 32, 24, 12",  // g clipped to the inner width 12
            "16, 0.25, 1, 16, 1",
            "96, 1.0, 32, 96, 32",
    })
    void groupWidthAndWidthAreMadeCompatibleAsPycls(int width, double m, int g, int expectedWidth, int expectedG) {
        Stage s = Stage.x(1, width, 3, m, g, 0, Downsample.NONE);
        assertThat(s.width()).isEqualTo(expectedWidth);
        assertThat(s.groupWidth()).isEqualTo(expectedG);
    }

    @Test
    void anIncompatibleXStageIsRefusedInOneLine() {
        assertThatThrownBy(() -> new Stage(BlockType.X, 1, 48, 3, 0.25, false, 0, Downsample.NONE, 8))
                .isInstanceOf(UserInputException.class)
                .hasMessage("stage.group_width 8 does not divide the x block's inner width 12 (width 48 × bottleneck 0.25): "
                        + "choose a divisor of 12");
    }

    @Test
    void otherBlocksKeepTheirJsonAndHashAndAnXStageRoundTrips() {
        Architecture plain = Architecture.of(Shape.of(1, 28, 28), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.RESIDUAL, 2, 16)), Head.of(0.0));
        assertThat(ArchitectureJson.write(plain)).doesNotContain("group_width");
        assertThat(ArchitectureJson.read(ArchitectureJson.write(plain))).isEqualTo(plain);
        Architecture x = Architecture.of(Shape.of(1, 28, 28), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.x(2, 32, 3, 0.5, 4, 0.25, Downsample.STRIDE)), Head.of(0.0));
        String json = ArchitectureJson.write(x);
        assertThat(json).contains("\"group_width\" : 4");
        assertThat(ArchitectureJson.read(json)).isEqualTo(x);
        assertThat(x.oneLine()).isEqualTo("stem8 | x d2 w32 k3 b.5 g4 se.25 /2 | gap fc10");
    }

    @Test
    void aSpaceStoredBeforeTheXBlockReadsAndLaysOutItsGenesAsBefore() {
        DesignSpace stored = ReferenceInputBaseline.storedAnynet();
        assertThat(stored.groupWidths()).isNull();
        assertThat(stored.constraints().sharedGroupWidth()).isFalse();
        GenotypeLayout layout = stored.layout(Shape.of(1, 28, 28), 10);
        assertThat(layout.length()).isEqualTo(8 + 3 * 8);
        // the built-in anynet now has x blocks and a group-width gene per stage
        GenotypeLayout now = DesignSpace.load("anynet").layout(Shape.of(1, 28, 28), 10);
        assertThat(now.space().blocks()).contains(BlockType.X);
        assertThat(now.length()).isEqualTo(8 + 3 * 9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anynet", "anynetx-a", "anynetx-b", "anynetx-c", "anynetx-d", "anynetx-e", "regnet"})
    void randomGenotypesOfXSpacesDecodeAndRoundTrip(String name) {
        for (Shape input : new Shape[]{Shape.of(1, 28, 28), Shape.of(3, 32, 32), Shape.of(1, 8, 8)}) {
            Genome genome = DesignSpace.load(name).genome(input, 10);
            Sampler sampler = Sampler.of(genome);
            Random random = new Random(3);
            for (int i = 0; i < 200; i++) {
                Architecture a;
                try {
                    a = genome.decode(sampler.randomGenes(random));
                } catch (InvalidArchitectureException e) {
                    assertThat(e.getMessage()).contains("the regnet rule gives");
                    continue;
                }
                assertThat(a.canonical()).isEqualTo(a);
                assertThat(genome.decode(genome.encode(a))).isEqualTo(a);
                assertThat(ArchitectureJson.read(ArchitectureJson.write(a))).isEqualTo(a);
            }
        }
    }

    @Test
    void anynetxLettersAddThePapersConstraintsOneByOne() {
        assertThat(DesignSpace.load("anynetx-a").constraints()).isEqualTo(Constraints.none());
        Random random = new Random(9);
        for (int i = 0; i < 300; i++) {
            for (String letter : List.of("b", "c", "d", "e")) {
                Genome genome = DesignSpace.load("anynetx-" + letter).genome(Shape.of(1, 28, 28), 10);
                Architecture a = genome.decode(Sampler.of(genome).randomGenes(random));
                List<Stage> st = a.stages();
                assertThat(st.stream().map(Stage::bottleneck).distinct()).hasSize(1);
                if (!letter.equals("b")) {
                    // one g for all stages, clipped per stage to its inner width
                    int g = st.stream().mapToInt(Stage::groupWidth).max().orElseThrow();
                    for (Stage s : st) {
                        assertThat(s.groupWidth()).isIn(g, BlockType.innerWidth(s.width(), s.bottleneck()));
                    }
                }
                for (int k = 1; k < st.size(); k++) {
                    if (letter.equals("d") || letter.equals("e")) {
                        assertThat(st.get(k).width()).isGreaterThanOrEqualTo(st.get(k - 1).width());
                    }
                    if (letter.equals("e")) assertThat(st.get(k).depth()).isGreaterThanOrEqualTo(st.get(k - 1).depth());
                }
            }
        }
    }

    @Test
    void regnetGenomeHasTheRuleParametersAndASize() {
        Genome genome = DesignSpace.load("regnet").genome(Shape.of(1, 28, 28), 10);
        assertThat(genome.stageGenes()).isZero();
        assertThat(genome.length()).isEqualTo(RegNetLayout.Gene.values().length);
        assertThat(genome.log10Size()).isBetween(4.0, 6.0);
        assertThatThrownBy(() -> DesignSpace.load("regnet").layout(Shape.of(1, 28, 28), 10)).isInstanceOf(IllegalStateException.class);
    }
}
