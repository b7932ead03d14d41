package org.anynas.space;

/**
 * Shape of one example flowing between ops: a feature map (channels × height × width) or a flat vector.
 * The batch dimension is never part of a shape.
 */
public record Shape(int channels, int height, int width, boolean flat) {

    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new UserInputException("shape dimensions must be >= 1, got " + describe(channels, height, width, flat));
        }
        if (flat && (height != 1 || width != 1)) {
            throw new UserInputException("a flat shape has height = width = 1");
        }
    }

    public static Shape of(int channels, int height, int width) {
        return new Shape(channels, height, width, false);
    }

    public static Shape vector(int size) {
        return new Shape(size, 1, 1, true);
    }

    public long elements() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return describe(channels, height, width, flat);
    }

    private static String describe(int c, int h, int w, boolean flat) {
        return flat ? "[" + c + "]" : "[" + c + "×" + h + "×" + w + "]";
    }
}
