package org.anynas.cli;

import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Image files become the model's input exactly where they can, and by the stated conversions elsewhere. */
class ImageInputTest {
    private static final Shape GREY = Shape.of(1, 4, 4);

    private static int value(int x, int y) {
        return (x * 37 + y * 91) % 256;
    }

    @Test
    void aGreyPngOfTheModelsSizeIsReadExactly(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) img.getRaster().setSample(x, y, 0, value(x, y));
        Path file = dir.resolve("g.png");
        ImageIO.write(img, "png", file.toFile());
        float[] in = ImageInput.read(file, GREY);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) assertThat(in[y * 4 + x]).isEqualTo(value(x, y) / 255f);
    }

    @Test
    void aTwiceAsLargeColourImageIsAreaAveragedToLuma(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int v = value(x / 2, y / 2);
                img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2)); // each 2×2 block one colour
            }
        }
        Path file = dir.resolve("c.png");
        ImageIO.write(img, "png", file.toFile());
        float[] in = ImageInput.read(file, GREY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int v = value(x, y);
                float luma = (0.299f * v + 0.587f * (255 - v) + 0.114f * (v / 2)) / 255f;
                assertThat(in[y * 4 + x]).isCloseTo(luma, within(1e-5f));
            }
        }
        float[] rgb = ImageInput.read(file, Shape.of(3, 4, 4));
        assertThat(rgb[16 + 5]).isCloseTo((255 - value(1, 1)) / 255f, within(1e-6f)); // green plane, pixel (1, 1)
    }

    @Test
    void aSmallerJpegIsEnlargedBilinearly(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 4; i++) img.getRaster().setSample(i % 2, i / 2, 0, 200);
        Path file = dir.resolve("s.jpg");
        ImageIO.write(img, "jpg", file.toFile());
        float[] in = ImageInput.read(file, GREY);
        for (float v : in) assertThat(v).isCloseTo(200 / 255f, within(3 / 255f)); // a flat image stays flat (JPEG rounding aside)
    }
}
