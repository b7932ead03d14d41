package org.anynas.data.folder;

import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.anynas.data.folder.FolderDataTest.all;
import static org.anynas.data.folder.TestImages.grey;
import static org.anynas.data.folder.TestImages.png;
import static org.anynas.data.folder.TestImages.rgb;
import static org.anynas.data.folder.TestImages.write;
import static org.assertj.core.api.Assertions.assertThat;

class FolderFormatsTest {

    private static final byte[] PR = {0, (byte) 255, 10, (byte) 200};
    private static final byte[] PG = {0, (byte) 255, 20, (byte) 200};
    private static final byte[] PB = {0, (byte) 255, 30, (byte) 200};

    /** Composited on a background, rounded: (v·a + bg·(255 − a) + 127) / 255. */
    private static int over(int v, int a, int bg) {
        return (v * a + bg * (255 - a) + 127) / 255;
    }

    /** The three channel values of image i (all its pixels must agree) of a C×6×6 set. */
    private static int[] pixel(byte[] px, int i, int channels) {
        int plane = 36;
        int[] out = new int[channels];
        for (int c = 0; c < channels; c++) {
            int base = (i * channels + c) * plane;
            out[c] = px[base] & 0xff;
            for (int k = 1; k < plane; k++) {
                assertThat(Math.abs((px[base + k] & 0xff) - out[c])).as("image %d channel %d uniform", i, c).isLessThanOrEqualTo(2);
            }
        }
        return out;
    }

    @Test
    void everyFormatDecodesToItsColour(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("formats");
        png(src.resolve("a/01-grey.png"), grey(8, 8, 50));
        png(src.resolve("a/02-rgb.png"), rgb(8, 8, 200, 100, 50));
        png(src.resolve("a/03-rgba.png"), TestImages.rgba(8, 8, 200, 100, 50, 128));
        png(src.resolve("a/04-palette.png"), TestImages.palette(8, 8, PR, PG, PB, 2));
        png(src.resolve("a/05-grey16.png"), TestImages.grey16(8, 8, 448));
        write(src.resolve("a/06-grey.jpg"), grey(8, 8, 120), "jpeg");
        TestImages.cmykJpeg(src.resolve("a/07-cmyk.jpg"), 8, 8, 0, 255, 255, 0);
        write(src.resolve("a/08.bmp"), rgb(8, 8, 1, 2, 3), "bmp");
        write(src.resolve("a/09.gif"), TestImages.palette(8, 8, PR, PG, PB, 3), "gif");
        write(src.resolve("a/10.tif"), rgb(8, 8, 33, 66, 99), "tiff");
        write(src.resolve("a/11.JPEG"), rgb(8, 8, 40, 180, 90), "jpeg");
        png(src.resolve("b/0.png"), grey(8, 8, 0));

        FolderDataset d = FolderData.open(FolderSpec.of(src).withImageSize(6, 6), tmp.resolve("cache"), Progress.NONE);

        assertThat(d.report().badFiles()).isEmpty();
        assertThat(d.shape()).isEqualTo(Shape.of(3, 6, 6));
        assertThat(d.report().channelsNote()).isEqualTo("3 channels: 8 of 12 images are in colour");
        byte[] px = all(d.train());
        assertThat(pixel(px, 0, 3)).containsExactly(50, 50, 50); // grey copied to three channels
        assertThat(pixel(px, 1, 3)).containsExactly(200, 100, 50);
        assertThat(pixel(px, 2, 3)).containsExactly(over(200, 128, 255), over(100, 128, 255), over(50, 128, 255));
        assertThat(pixel(px, 3, 3)).containsExactly(10, 20, 30);
        assertThat(pixel(px, 4, 3)).containsExactly(2, 2, 2); // 448 / 65535 × 255 = 1.74: rounded, not the high byte (1)
        for (int v : pixel(px, 5, 3)) assertThat(v).isBetween(118, 122);
        int[] cmyk = pixel(px, 6, 3); // magenta + yellow ink: red
        assertThat(cmyk[0]).isGreaterThan(180);
        assertThat(cmyk[1]).isLessThan(90);
        assertThat(cmyk[2]).isLessThan(90);
        assertThat(pixel(px, 7, 3)).containsExactly(1, 2, 3);
        assertThat(pixel(px, 8, 3)).containsExactly(200, 200, 200);
        assertThat(pixel(px, 9, 3)).containsExactly(33, 66, 99);
        int[] jpeg = pixel(px, 10, 3);
        assertThat(Math.abs(jpeg[0] - 40) + Math.abs(jpeg[1] - 180) + Math.abs(jpeg[2] - 90)).isLessThan(12);
    }

    @Test
    void colourToOneChannelIsPillowsLuma(@TempDir Path tmp) {
        Path src = tmp.resolve("luma");
        png(src.resolve("a/0.png"), rgb(6, 6, 200, 100, 50));
        png(src.resolve("b/0.png"), TestImages.rgba(6, 6, 255, 0, 0, 0));
        FolderDataset d = FolderData.open(FolderSpec.of(src).withChannels(FolderSpec.Channels.ONE)
                .withBackground(0x00ff00), tmp.resolve("cache"), Progress.NONE);
        assertThat(d.shape()).isEqualTo(Shape.of(1, 6, 6));
        byte[] px = all(d.train());
        // Pillow: L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16; 200, 100, 50 → 124 (59.8 + 58.7 + 5.7 = 124.2)
        assertThat(pixel(px, 0, 1)).containsExactly(124);
        // fully transparent red on a green background: the green's luma, 150
        assertThat(pixel(px, 1, 1)).containsExactly(150);
        assertThat(d.report().channelsNote()).isEqualTo("1 channel (set)");
    }

    @Test
    void greyPalettesAndGreyWithAlphaAreGrey(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("greys");
        byte[] g = {0, 60, (byte) 120, (byte) 250};
        png(src.resolve("a/0.png"), TestImages.palette(6, 6, g, g, g, 1));
        png(src.resolve("a/1.png"), greyAlpha(6, 6, 100, 128));
        png(src.resolve("b/0.png"), TestImages.grey16(6, 6, 65535));
        write(src.resolve("b/1.jpg"), grey(6, 6, 200), "jpeg");
        FolderDataset d = FolderData.open(FolderSpec.of(src).withBackground(0), tmp.resolve("cache"), Progress.NONE);
        assertThat(d.shape()).isEqualTo(Shape.of(1, 6, 6));
        assertThat(d.report().channelsNote()).isEqualTo("1 channel: all 4 images are grey");
        byte[] px = all(d.train());
        assertThat(pixel(px, 0, 1)).containsExactly(60);
        assertThat(pixel(px, 1, 1)).containsExactly(over(100, 128, 0));
        assertThat(pixel(px, 2, 1)).containsExactly(255);
    }

    @Test
    void exifOrientationTurnsTheImageAndItsSize(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("exif");
        // stored 40 wide × 20 high, left half black; orientation 6 shows it turned clockwise: 20 wide × 40 high,
        // the black half on top
        TestImages.exifJpeg(src.resolve("a/turned.jpg"), TestImages.halves(40, 20), 6);
        TestImages.exifJpeg(src.resolve("a/upright.jpg"), TestImages.halves(20, 40), 1);
        png(src.resolve("b/0.png"), grey(20, 40, 128));

        FolderDataset d = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), Progress.NONE);

        assertThat(d.report().sizeNote()).isEqualTo("all 3 images are 40×20");
        assertThat(d.shape()).isEqualTo(Shape.of(1, 40, 20));
        byte[] img = new byte[800];
        d.train().copyImage(0, img, 0);
        assertThat(img[0] & 0xff).as("top left").isLessThan(30);
        assertThat(img[19] & 0xff).as("top right").isLessThan(30);
        assertThat(img[39 * 20] & 0xff).as("bottom left").isGreaterThan(225);
        d.train().copyImage(1, img, 0);
        assertThat(img[0] & 0xff).as("upright: top left").isLessThan(30);
        assertThat(img[19] & 0xff).as("upright: top right").isGreaterThan(225);
    }

    @Test
    void allEightOrientationsMapTheCorners() {
        // stored 3 wide × 2 high: 0 1 2 / 3 4 5
        byte[] v = {0, 1, 2, 3, 4, 5};
        Planes p = new Planes(3, 2, new byte[][]{v}, null);
        String[] expected = {"", "012345", "210543", "543210", "345012", "031425", "304152", "524130", "251403"};
        for (int o = 1; o <= 8; o++) {
            Planes t = p.oriented(o);
            StringBuilder s = new StringBuilder();
            for (byte b : t.colour()[0]) s.append(b);
            assertThat(s.toString()).as("orientation %d", o).isEqualTo(expected[o]);
            assertThat(t.width()).isEqualTo(o >= 5 ? 2 : 3);
        }
    }

    @Test
    void cropAndPadKeepTheAspect(@TempDir Path tmp) {
        Path src = tmp.resolve("aspect");
        // 30 wide × 10 high: black | white | black thirds
        BufferedImage img = grey(30, 10, 0);
        for (int y = 0; y < 10; y++) for (int x = 10; x < 20; x++) img.getRaster().setSample(x, y, 0, 255);
        png(src.resolve("a/0.png"), img);
        png(src.resolve("b/0.png"), grey(10, 10, 0));
        FolderSpec spec = FolderSpec.of(src).withImageSize(10, 10).withBackground(0x808080);

        byte[] crop = new byte[100];
        FolderData.open(spec.withResize(FolderSpec.Resize.CROP), tmp.resolve("c"), Progress.NONE).train().copyImage(0, crop, 0);
        byte[] white = new byte[100];
        Arrays.fill(white, (byte) 255);
        assertThat(crop).as("the centre third, all white").isEqualTo(white);

        byte[] pad = new byte[100];
        FolderData.open(spec.withResize(FolderSpec.Resize.PAD), tmp.resolve("c"), Progress.NONE).train().copyImage(0, pad, 0);
        // scaled to 10 × 3 (rounded from 3.33) in rows 3..5; rows above and below are the background, grey 128
        for (int x = 0; x < 10; x++) {
            assertThat(pad[x] & 0xff).isEqualTo(128);
            assertThat(pad[90 + x] & 0xff).isEqualTo(128);
        }
        assertThat(pad[4 * 10 + 5] & 0xff).as("centre").isGreaterThan(200);
        assertThat(pad[4 * 10] & 0xff).as("left edge").isLessThan(50);
    }

    @Test
    void theWebpReaderIsInstalledThoughNoWriterExists() {
        // TwelveMonkeys reads WebP but writes none, and the JDK has no WebP writer: no WebP file can be made here
        assertThat(ImageReaders.formats()).contains("webp", "tiff", "jpeg", "png", "bmp", "gif");
        assertThat(ImageIO.getImageWritersByFormatName("webp").hasNext()).isFalse();
    }

    private static BufferedImage greyAlpha(int w, int h, int value, int alpha) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setPixel(x, y, new int[]{value, alpha});
        return new BufferedImage(cm, r, false, null);
    }
}
