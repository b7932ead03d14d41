package org.anynas.space;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;

/**
 * One stage: {@code depth} blocks of one type producing {@code width} channels.
 *
 * @param bottleneck inner-width multiplier: the bottleneck and X blocks' 1×1 reduce (≤ 1: inner width
 *                   round(width × bottleneck), so the paper's bottleneck ratio b is 1 / bottleneck) or the inverted
 *                   block's expansion (≥ 1); unused by the other block types
 * @param depthwise  the bottleneck block's k×k conv is depthwise instead of full
 * @param se         squeeze-and-excitation ratio (hidden = round(width × se); the X block's: round(block input
 *                   width × se), as pycls); 0 means no SE
 * @param groupWidth the X block's group width g: its k×k conv has inner / g groups; 0 for the other block types,
 *                   and then left out of the JSON, so architectures stored before the X block hash as they did
 */
public record Stage(BlockType block, int depth, int width, int kernel, double bottleneck, boolean depthwise,
                    double se, Downsample downsample,
                    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                    @JacksonInject(value = Json.ABSENT + "group_width", useInput = OptBoolean.TRUE) int groupWidth) {

    public Stage {
        Fields.present("stage.block", block);
        Fields.present("stage.downsample", downsample);
        Fields.range("stage.depth", depth, 1, 64);
        Fields.range("stage.width", width, 1, 4096);
        Fields.oddKernel("stage.kernel", kernel);
        Fields.range("stage.bottleneck", bottleneck, 0.0625, 16);
        Fields.range("stage.se", se, 0, 1);
        Fields.range("stage.group_width", groupWidth, 0, 4096);
        if (block == BlockType.X) {
            int inner = BlockType.innerWidth(width, bottleneck);
            if (groupWidth < 1 || inner % groupWidth != 0) {
                throw new UserInputException("stage.group_width " + groupWidth + " does not divide the x block's inner width "
                        + inner + " (width " + width + " × bottleneck " + bottleneck + "): choose a divisor of " + inner);
            }
        }
    }

    /** Group width 1 for the X block (full convs), 0 (unused) for the others. */
    public static Stage of(BlockType block, int depth, int width) {
        return new Stage(block, depth, width, 3, 1.0, false, 0, Downsample.NONE, block == BlockType.X ? 1 : 0);
    }

    public Stage withKernel(int k) {
        return new Stage(block, depth, width, k, bottleneck, depthwise, se, downsample, groupWidth);
    }

    public Stage withBottleneck(double b) {
        return new Stage(block, depth, width, kernel, b, depthwise, se, downsample, groupWidth);
    }

    public Stage withDepthwise(boolean dw) {
        return new Stage(block, depth, width, kernel, bottleneck, dw, se, downsample, groupWidth);
    }

    public Stage withSe(double ratio) {
        return new Stage(block, depth, width, kernel, bottleneck, depthwise, ratio, downsample, groupWidth);
    }

    public Stage withDownsample(Downsample d) {
        return new Stage(block, depth, width, kernel, bottleneck, depthwise, se, d, groupWidth);
    }

    public Stage withGroupWidth(int g) {
        return new Stage(block, depth, width, kernel, bottleneck, depthwise, se, downsample, g);
    }

    /**
     * An X stage of the requested width, bottleneck and group width made compatible as pycls's
     * {@code adjust_block_compatibility} does: g is clipped to the inner width v = max(1, ⌊width × bottleneck⌋), v is
     * rounded (half to even) to a multiple of g, at least g, and the width becomes ⌊v / bottleneck⌋.
     */
    public static Stage x(int depth, int width, int kernel, double bottleneck, int groupWidth, double se, Downsample d) {
        int v = (int) Math.max(1, Math.floor(width * bottleneck));
        int g = Math.min(groupWidth, v);
        v = Math.max(g, (int) Math.rint(v / (double) g) * g);
        return new Stage(BlockType.X, depth, (int) Math.floor(v / bottleneck), kernel, bottleneck, false, se, d, g);
    }

    /** Same network, with genes the block type ignores set to fixed values. */
    public Stage canonical() {
        double b = block.usesBottleneck() ? bottleneck : 1.0;
        boolean dw = block == BlockType.BOTTLENECK && depthwise;
        int g = block == BlockType.X ? groupWidth : 0;
        return new Stage(block, depth, width, kernel, b, dw, se, downsample, g);
    }

    public boolean hasSe() {
        return se > 0;
    }
}
