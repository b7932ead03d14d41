package org.anynas.space;

/**
 * One stage: {@code depth} blocks of one type producing {@code width} channels.
 *
 * @param bottleneck inner-width multiplier: the bottleneck block's 1×1 reduce (≤ 1) or the inverted
 *                   block's expansion (≥ 1); unused by the other block types
 * @param depthwise  the bottleneck block's k×k conv is depthwise instead of full
 * @param se         squeeze-and-excitation ratio (hidden = round(width × se)); 0 means no SE
 */
public record Stage(BlockType block, int depth, int width, int kernel, double bottleneck, boolean depthwise,
                    double se, Downsample downsample) {

    public Stage {
        Fields.present("stage.block", block);
        Fields.present("stage.downsample", downsample);
        Fields.range("stage.depth", depth, 1, 64);
        Fields.range("stage.width", width, 1, 4096);
        Fields.oddKernel("stage.kernel", kernel);
        Fields.range("stage.bottleneck", bottleneck, 0.0625, 16);
        Fields.range("stage.se", se, 0, 1);
    }

    public static Stage of(BlockType block, int depth, int width) {
        return new Stage(block, depth, width, 3, 1.0, false, 0, Downsample.NONE);
    }

    public Stage withKernel(int k) {
        return new Stage(block, depth, width, k, bottleneck, depthwise, se, downsample);
    }

    public Stage withBottleneck(double b) {
        return new Stage(block, depth, width, kernel, b, depthwise, se, downsample);
    }

    public Stage withDepthwise(boolean dw) {
        return new Stage(block, depth, width, kernel, bottleneck, dw, se, downsample);
    }

    public Stage withSe(double ratio) {
        return new Stage(block, depth, width, kernel, bottleneck, depthwise, ratio, downsample);
    }

    public Stage withDownsample(Downsample d) {
        return new Stage(block, depth, width, kernel, bottleneck, depthwise, se, d);
    }

    /** Same network, with genes the block type ignores set to fixed values. */
    public Stage canonical() {
        double b = block.usesBottleneck() ? bottleneck : 1.0;
        boolean dw = block == BlockType.BOTTLENECK && depthwise;
        return new Stage(block, depth, width, kernel, b, dw, se, downsample);
    }

    public boolean hasSe() {
        return se > 0;
    }
}
