package org.anynas.cli;

import org.anynas.space.Shape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image file (PNG or JPEG, read by javax.imageio) as a model input: float32 CHW in [0, 1]. Grey images are
 * read from their samples (no colour-space conversion) and repeated for colour models; colour images become grey
 * by ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B). Images of another size are resized per axis, stretched to
 * the model's height and width: area averaging when shrinking, bilinear interpolation (pixel centres aligned)
 * when enlarging.
 */
final class ImageInput {
    private ImageInput() {
    }

    static float[] read(Path file, Shape shape) {
        if (!Files.isRegularFile(file)) throw new UserError("no image file " + file);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read image " + file + ": " + e.getMessage());
        }
        if (image == null) throw new UserError("cannot read image " + file + ": not a PNG or JPEG file");
        float[][] planes = planes(image, shape.channels());
        int h = shape.height();
        int w = shape.width();
        float[] out = new float[shape.channels() * h * w];
        for (int c = 0; c < planes.length; c++) {
            float[] resized = resize(planes[c], image.getWidth(), image.getHeight(), w, h);
            System.arraycopy(resized, 0, out, c * h * w, h * w);
        }
        return out;
    }

    /** One [0, 1] plane per model channel, row-major, at the image's own size. */
    private static float[][] planes(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        boolean grey = raster.getNumBands() <= 2 && !(image.getColorModel() instanceof IndexColorModel);
        float[][] rgb = new float[grey ? 1 : 3][w * h];
        float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey) {
                    rgb[0][y * w + x] = raster.getSample(x, y, 0) / max;
                } else {
                    int p = image.getRGB(x, y);
                    rgb[0][y * w + x] = ((p >> 16) & 0xff) / 255f;
                    rgb[1][y * w + x] = ((p >> 8) & 0xff) / 255f;
                    rgb[2][y * w + x] = (p & 0xff) / 255f;
                }
            }
        }
        if (channels == rgb.length) return rgb;
        float[][] out = new float[channels][];
        if (rgb.length == 1) {
            for (int c = 0; c < channels; c++) out[c] = rgb[0];
            return out;
        }
        if (channels != 1) throw new UserError("the model takes " + channels + "-channel images; only 1 or 3 are supported");
        float[] luma = new float[w * h];
        for (int i = 0; i < luma.length; i++) luma[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
        out[0] = luma;
        return out;
    }

    private static float[] resize(float[] plane, int w, int h, int outW, int outH) {
        if (w == outW && h == outH) return plane;
        float[][] wx = weights(w, outW);
        float[][] wy = weights(h, outH);
        float[] rows = new float[h * outW];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                float s = 0;
                for (int i = 0; i < w; i++) s += wx[x][i] * plane[y * w + i];
                rows[y * outW + x] = s;
            }
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                float s = 0;
                for (int i = 0; i < h; i++) s += wy[y][i] * rows[i * outW + x];
                out[y * outW + x] = s;
            }
        }
        return out;
    }

    /** weights[o][i]: how much input pixel i contributes to output pixel o along one axis (each row sums to 1). */
    private static float[][] weights(int in, int out) {
        float[][] wts = new float[out][in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            if (scale >= 1) { // area averaging: the input span [o·scale, (o+1)·scale), partial pixels weighted by overlap
                double from = o * scale;
                double to = from + scale;
                for (int i = (int) Math.floor(from); i < Math.min(in, (int) Math.ceil(to)); i++) {
                    wts[o][i] = (float) ((Math.min(to, i + 1) - Math.max(from, i)) / scale);
                }
            } else { // bilinear between the two nearest input centres
                double pos = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
                int i0 = (int) Math.floor(pos);
                int i1 = Math.min(in - 1, i0 + 1);
                double f = pos - i0;
                wts[o][i0] += (float) (1 - f);
                wts[o][i1] += (float) f;
            }
        }
        return wts;
    }
}
