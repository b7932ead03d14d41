package org.anynas.space;

/** The stem: one conv → BN → activation that maps the input image to {@code width} channels. */
public record Stem(int width, int kernel, int stride) {
    public Stem {
        Fields.range("stem.width", width, 1, 4096);
        Fields.oddKernel("stem.kernel", kernel);
        Fields.range("stem.stride", stride, 1, 4);
    }

    public static Stem of(int width, int kernel, int stride) {
        return new Stem(width, kernel, stride);
    }
}
