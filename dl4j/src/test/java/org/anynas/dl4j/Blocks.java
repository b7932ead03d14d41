package org.anynas.dl4j;

import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Head;
import org.anynas.space.Shape;
import org.anynas.space.OpGraph;
import org.anynas.space.Op;
import org.anynas.space.Node;
import org.anynas.space.Stage;
import org.anynas.space.Stem;

import java.util.ArrayList;
import java.util.List;

/** Tiny architectures exercising one block type each, for translation tests and gradient checks. */
public final class Blocks {
    private Blocks() {
    }

    public static Architecture tiny(BlockType block, boolean se, int size) {
        return tiny(block, se, Shape.of(2, size, size), 3);
    }

    /** The same network for other images and classes (real datasets). */
    public static Architecture tiny(BlockType block, boolean se, Shape input, int classes) {
        Stage first = Stage.of(block, 2, 8).withDownsample(Downsample.STRIDE).withBottleneck(
                block == BlockType.INVERTED ? 2.0 : 0.5).withDepthwise(block == BlockType.BOTTLENECK);
        Stage second = Stage.of(block, 1, 12).withKernel(5).withDownsample(Downsample.MAX_POOL).withBottleneck(
                block == BlockType.INVERTED ? 3.0 : 1.0);
        if (se) {
            first = first.withSe(0.5);
            second = second.withSe(0.25);
        }
        return Architecture.of(input, classes, Activation.SILU, Stem.of(4, 3, 1), List.of(first, second),
                Head.of(0, 6));
    }

    /**
     * The smallest network that still has every op of a block type: two blocks (so the second one has an
     * identity shortcut), a strided first block with projection, SE on both. DL4J's gradient check for
     * graphs tests every parameter, so size is what keeps it fast.
     */
    static Architecture minimal(BlockType block) {
        Stage stage = Stage.of(block, 2, 4).withDownsample(Downsample.STRIDE).withSe(0.5)
                .withBottleneck(block == BlockType.INVERTED ? 2.0 : 0.5).withDepthwise(block == BlockType.BOTTLENECK);
        return Architecture.of(Shape.of(2, 5, 5), 3, Activation.SILU, Stem.of(3, 3, 1), List.of(stage), Head.of(0));
    }

    /** input 2×6×6 → conv 4 → BN → act → gconv 8 (g 2, bias) → act → gconv 8 /2 (g 4) → BN + projection add → gap → classifier. */
    public static OpGraph grouped(Shape input, int classes) {
        List<Node> n = new ArrayList<>();
        n.add(Node.of("stem_conv", new Op.Conv(4, 3, 1, 1, 1, false), "input"));
        n.add(Node.of("stem_bn", new Op.BatchNorm(), "stem_conv"));
        n.add(Node.of("stem_silu", new Op.Act(Activation.SILU), "stem_bn"));
        n.add(Node.of("g1_conv", new Op.Conv(8, 3, 1, 1, 2, true), "stem_silu"));
        n.add(Node.of("g1_silu", new Op.Act(Activation.SILU), "g1_conv"));
        n.add(Node.of("g2_conv", new Op.Conv(8, 3, 2, 1, 4, false), "g1_silu"));
        n.add(Node.of("g2_bn", new Op.BatchNorm(), "g2_conv"));
        n.add(Node.of("proj_conv", new Op.Conv(8, 1, 2, 0, 2, false), "stem_silu"));
        n.add(Node.of("sum", new Op.Add(), "g2_bn", "proj_conv"));
        n.add(Node.of("gap", new Op.GlobalAvgPool(), "sum"));
        n.add(Node.of("out", new Op.Classifier(classes), "gap"));
        return OpGraph.of(input, n);
    }
}
