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
