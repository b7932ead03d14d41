package org.anynas.space;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shapes, parameters and MACs against published numbers, expressed in the space's own graph model. */
class ReferenceNetworksTest {

    private static Op.Conv conv(int filters, int k, int stride, int pad) {
        return new Op.Conv(filters, k, stride, pad, 1, true);
    }

    @Test
    void singleConvolutionShapesAndParameters() {
        OpGraph two = OpGraph.of(Shape.of(3, 32, 32), List.of(Node.of("c", conv(2, 5, 1, 0), "input")));
        assertThat(two.outputShape()).isEqualTo(Shape.of(2, 28, 28));
        assertThat(two.params()).isEqualTo(152);

        OpGraph strided = OpGraph.of(Shape.of(3, 32, 32), List.of(Node.of("c", conv(2, 5, 2, 0), "input")));
        assertThat(strided.outputShape()).isEqualTo(Shape.of(2, 14, 14));

        OpGraph padded = OpGraph.of(Shape.of(3, 32, 32), List.of(Node.of("c", conv(10, 5, 1, 2), "input")));
        assertThat(padded.outputShape()).isEqualTo(Shape.of(10, 32, 32));
        assertThat(padded.params()).isEqualTo(760);
    }

    @Test
    void leNet5Has61706Parameters() {
        OpGraph g = OpGraph.of(Shape.of(1, 32, 32), List.of(
                Node.of("c1", conv(6, 5, 1, 0), "input"),
                Node.of("p1", new Op.Pool(Op.PoolKind.MAX, 2, 2, 0), "c1"),
                Node.of("c2", conv(16, 5, 1, 0), "p1"),
                Node.of("p2", new Op.Pool(Op.PoolKind.MAX, 2, 2, 0), "c2"),
                Node.of("f1", new Op.Dense(120, true), "p2"),
                Node.of("f2", new Op.Dense(84, true), "f1"),
                Node.of("out", new Op.Classifier(10), "f2")));
        assertThat(g.layer("p2").output()).isEqualTo(Shape.of(16, 5, 5));
        assertThat(g.params()).isEqualTo(61_706);
    }

    @Test
    void alexNetHas62378344Parameters() {
        List<Node> n = new ArrayList<>();
        n.add(Node.of("conv1", conv(96, 11, 4, 0), "input"));
        n.add(Node.of("pool1", new Op.Pool(Op.PoolKind.MAX, 3, 2, 0), "conv1"));
        n.add(Node.of("conv2", conv(256, 5, 1, 2), "pool1"));
        n.add(Node.of("pool2", new Op.Pool(Op.PoolKind.MAX, 3, 2, 0), "conv2"));
        n.add(Node.of("conv3", conv(384, 3, 1, 1), "pool2"));
        n.add(Node.of("conv4", conv(384, 3, 1, 1), "conv3"));
        n.add(Node.of("conv5", conv(256, 3, 1, 1), "conv4"));
        n.add(Node.of("pool5", new Op.Pool(Op.PoolKind.MAX, 3, 2, 0), "conv5"));
        n.add(Node.of("fc6", new Op.Dense(4096, true), "pool5"));
        n.add(Node.of("fc7", new Op.Dense(4096, true), "fc6"));
        n.add(Node.of("fc8", new Op.Classifier(1000), "fc7"));
        OpGraph g = OpGraph.of(Shape.of(3, 227, 227), n);
        assertThat(g.layer("conv1").output()).isEqualTo(Shape.of(96, 55, 55));
        assertThat(g.layer("pool5").output()).isEqualTo(Shape.of(256, 6, 6));
        assertThat(g.params()).isEqualTo(62_378_344);
    }

    @Test
    void vgg16Has138357544Parameters() {
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        List<Node> n = new ArrayList<>();
        String prev = OpGraph.INPUT;
        for (int b = 0; b < blocks.length; b++) {
            for (int i = 0; i < blocks[b].length; i++) {
                String name = "conv" + (b + 1) + "_" + (i + 1);
                n.add(Node.of(name, conv(blocks[b][i], 3, 1, 1), prev));
                prev = name;
            }
            n.add(Node.of("pool" + (b + 1), new Op.Pool(Op.PoolKind.MAX, 2, 2, 0), prev));
            prev = "pool" + (b + 1);
        }
        n.add(Node.of("fc6", new Op.Dense(4096, true), prev));
        n.add(Node.of("fc7", new Op.Dense(4096, true), "fc6"));
        n.add(Node.of("fc8", new Op.Classifier(1000), "fc7"));
        OpGraph g = OpGraph.of(Shape.of(3, 224, 224), n);
        assertThat(g.layer("pool5").output()).isEqualTo(Shape.of(512, 7, 7));
        assertThat(g.params()).isEqualTo(138_357_544);
    }

    @Test
    void resNet18FromResidualStagesHas11689512ParametersAnd182GMacs() {
        // torchvision's ResNet-18: its 3×3/2 stem max pool and our 2×2/2 stage pool give the same 56×56 map
        Architecture resnet18 = Architecture.of(Shape.of(3, 224, 224), 1000, Activation.RELU, Stem.of(64, 7, 2),
                List.of(Stage.of(BlockType.RESIDUAL, 2, 64).withDownsample(Downsample.MAX_POOL),
                        Stage.of(BlockType.RESIDUAL, 2, 128).withDownsample(Downsample.STRIDE),
                        Stage.of(BlockType.RESIDUAL, 2, 256).withDownsample(Downsample.STRIDE),
                        Stage.of(BlockType.RESIDUAL, 2, 512).withDownsample(Downsample.STRIDE)),
                Head.of(0));
        OpGraph g = resnet18.graph();
        assertThat(g.layer("stem_conv").output()).isEqualTo(Shape.of(64, 112, 112));
        assertThat(g.layer("s4b2_out_relu").output()).isEqualTo(Shape.of(512, 7, 7));
        assertThat(g.params()).isEqualTo(11_689_512);
        assertThat(g.bnStatistics()).isEqualTo(2 * (64 + 4 * 64 + 4 * 128 + 4 * 256 + 4 * 512 + 128 + 256 + 512));
        assertThat(g.macs()).isBetween(1_810_000_000L, 1_830_000_000L);
    }

    @Test
    void resNeXt50With32GroupsOf4Has25028904ParametersAnd423GMacs() {
        // torchvision's resnext50_32x4d (25,028,904 parameters, 4.23 GFLOPS as multiply-accumulates), built by hand:
        // the X block is not a block type yet. MACs: the same network in torch with hooks summing
        // weights·output positions over convs and dense layers (torch 1.13; torchvision's Bottleneck).
        List<Node> n = new ArrayList<>();
        n.add(Node.of("stem_conv", new Op.Conv(64, 7, 2, 3, 1, false), "input"));
        n.add(Node.of("stem_bn", new Op.BatchNorm(), "stem_conv"));
        n.add(Node.of("stem_relu", new Op.Act(Activation.RELU), "stem_bn"));
        n.add(Node.of("stem_pool", new Op.Pool(Op.PoolKind.MAX, 3, 2, 1), "stem_relu"));
        String prev = "stem_pool";
        int in = 64;
        int[] depths = {3, 4, 6, 3};
        for (int stage = 0; stage < 4; stage++) {
            int inner = 128 << stage; // 32 groups × 4 channels, doubling per stage
            int out = 256 << stage;
            for (int b = 0; b < depths[stage]; b++) {
                String name = "s" + (stage + 1) + "b" + (b + 1);
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String x = convBnRelu(n, name + "_a", prev, new Op.Conv(inner, 1, 1, 0, 1, false));
                x = convBnRelu(n, name + "_b", x, new Op.Conv(inner, 3, stride, 1, 32, false));
                n.add(Node.of(name + "_c_conv", new Op.Conv(out, 1, 1, 0, 1, false), x));
                n.add(Node.of(name + "_c_bn", new Op.BatchNorm(), name + "_c_conv"));
                String shortcut = prev;
                if (stride != 1 || in != out) {
                    n.add(Node.of(name + "_proj_conv", new Op.Conv(out, 1, stride, 0, 1, false), prev));
                    n.add(Node.of(name + "_proj_bn", new Op.BatchNorm(), name + "_proj_conv"));
                    shortcut = name + "_proj_bn";
                }
                n.add(Node.of(name + "_add", new Op.Add(), name + "_c_bn", shortcut));
                n.add(Node.of(name + "_out", new Op.Act(Activation.RELU), name + "_add"));
                prev = name + "_out";
                in = out;
            }
        }
        n.add(Node.of("gap", new Op.GlobalAvgPool(), prev));
        n.add(Node.of("fc", new Op.Classifier(1000), "gap"));
        OpGraph g = OpGraph.of(Shape.of(3, 224, 224), n);

        assertThat(g.layer("stem_pool").output()).isEqualTo(Shape.of(64, 56, 56));
        assertThat(g.layer("s1b1_b_conv").params()).isEqualTo(3 * 3 * 4 * 128); // k·k·(C_in/g)·C_out
        assertThat(g.layer("s1b1_b_conv").macs()).isEqualTo(3 * 3 * 4 * 128 * 56 * 56);
        assertThat(g.kind(g.layer("s1b1_b_conv").node())).isEqualTo("gconv");
        assertThat(g.layer("s4b3_out").output()).isEqualTo(Shape.of(2048, 7, 7));
        assertThat(g.params()).isEqualTo(25_028_904);
        assertThat(g.macs()).isEqualTo(4_230_479_872L);
        assertThat(GraphTable.render(g)).contains("s1b1_b_conv").contains("gconv");
    }

    @Test
    void aConvNamesItsKindByItsGroupsAndInputWidth() {
        OpGraph g = OpGraph.of(Shape.of(8, 6, 6), List.of(
                Node.of("full", new Op.Conv(8, 3, 1, 1, 1, false), "input"),
                Node.of("grouped", new Op.Conv(12, 3, 1, 1, 4, true), "full"),
                Node.of("depthwise", new Op.Conv(24, 3, 1, 1, 12, false), "grouped")));
        assertThat(g.nodes().stream().map(g::kind)).containsExactly("conv", "gconv", "dwconv");
        assertThat(g.layer("grouped").params()).isEqualTo(3 * 3 * 2 * 12 + 12);
        assertThat(g.layer("grouped").macs()).isEqualTo(3 * 3 * 2 * 12 * 36);
        assertThat(g.layer("depthwise").params()).isEqualTo(3 * 3 * 24);
        assertThat(GraphDot.render(g, "t")).contains("grouped\\ngconv [12×6×6]").contains("depthwise\\ndwconv");
    }

    @Test
    void groupsThatDoNotDivideBothWidthsAreInvalid() {
        assertThatThrownBy(() -> OpGraph.of(Shape.of(8, 6, 6), List.of(
                Node.of("g3", new Op.Conv(12, 3, 1, 1, 3, false), "input"))))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("'g3' (gconv)")
                .hasMessageContaining("groups 3 must divide input channels 8");
        assertThatThrownBy(() -> OpGraph.of(Shape.of(8, 6, 6), List.of(
                Node.of("g4", new Op.Conv(6, 3, 1, 1, 4, false), "input"))))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("filters 6");
    }

    private static String convBnRelu(List<Node> n, String name, String in, Op.Conv conv) {
        n.add(Node.of(name + "_conv", conv, in));
        n.add(Node.of(name + "_bn", new Op.BatchNorm(), name + "_conv"));
        n.add(Node.of(name + "_relu", new Op.Act(Activation.RELU), name + "_bn"));
        return name + "_relu";
    }

    @Test
    void shrinkingBelowOneByOneIsInvalidAndSaysWhere() {
        Architecture tooDeep = Architecture.of(Shape.of(1, 8, 8), 10, Activation.RELU, Stem.of(8, 3, 2),
                List.of(Stage.of(BlockType.PLAIN, 1, 8).withDownsample(Downsample.STRIDE),
                        Stage.of(BlockType.PLAIN, 1, 8).withDownsample(Downsample.MAX_POOL),
                        Stage.of(BlockType.PLAIN, 1, 8).withDownsample(Downsample.MAX_POOL)),
                Head.of(0));
        assertThatThrownBy(tooDeep::graph).isInstanceOf(InvalidArchitectureException.class)
                .hasMessageContaining("s3_pool").hasMessageContaining("below 1×1");
    }

    @Test
    void branchesThatDisagreeAreInvalid() {
        assertThatThrownBy(() -> OpGraph.of(Shape.of(3, 8, 8), List.of(
                Node.of("a", conv(4, 3, 1, 1), "input"),
                Node.of("b", conv(4, 3, 2, 1), "input"),
                Node.of("sum", new Op.Add(), "a", "b"))))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("'sum'").hasMessageContaining("disagree");
    }
}
