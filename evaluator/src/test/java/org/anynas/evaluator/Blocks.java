package org.anynas.evaluator;

import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Head;
import org.anynas.space.Shape;
import org.anynas.space.Stage;
import org.anynas.space.Stem;

import java.util.List;

/** Tiny architectures exercising one block type each, for translation tests and gradient checks. */
final class Blocks {
    private Blocks() {
    }

    static Architecture tiny(BlockType block, boolean se, int size) {
        Stage first = Stage.of(block, 2, 8).withDownsample(Downsample.STRIDE).withBottleneck(
                block == BlockType.INVERTED ? 2.0 : 0.5).withDepthwise(block == BlockType.BOTTLENECK);
        Stage second = Stage.of(block, 1, 12).withKernel(5).withDownsample(Downsample.MAX_POOL).withBottleneck(
                block == BlockType.INVERTED ? 3.0 : 1.0);
        if (se) {
            first = first.withSe(0.5);
            second = second.withSe(0.25);
        }
        return Architecture.of(Shape.of(2, size, size), 3, Activation.SILU, Stem.of(4, 3, 1), List.of(first, second),
                Head.of(0, 6));
    }
}
