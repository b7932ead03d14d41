package org.anynas.data.folder;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded image as 8-bit planes: one (grey) or three (R, G, B), each height × width row-major, and an optional
 * alpha plane. Grey and sRGB samples are taken from the raster as stored, since Java2D's getRGB treats grey as
 * linear light and would brighten it; other colour spaces (CMYK TIFF, ICC RGB) go through getRGB's conversion to sRGB.
 * Samples deeper than 8 bits are rounded to the nearest 8-bit value: v8 = round(v × 255 / (2^bits − 1)).
 */
record Planes(int width, int height, byte[][] colour, byte[] alpha) {

    boolean grey() {
        return colour.length == 1;
    }

    /** Grey if the colour model has no colour: a grey colour space, or a palette whose entries are all grey. */
    static boolean isGrey(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                int r = icm.getRed(i);
                if (r != icm.getGreen(i) || r != icm.getBlue(i)) return false;
            }
            return true;
        }
        return cm != null && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    static Planes of(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm.isAlphaPremultiplied()) {
            img.coerceData(false);
            cm = img.getColorModel();
        }
        Raster raster = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        if (cm instanceof IndexColorModel icm) return ofPalette(icm, raster, w, h);
        int dataType = raster.getDataBuffer().getDataType();
        boolean integral = dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT
                || dataType == DataBuffer.TYPE_SHORT || dataType == DataBuffer.TYPE_INT;
        ColorSpace cs = cm.getColorSpace();
        if (cm instanceof ComponentColorModel && integral
                && (cs.getType() == ColorSpace.TYPE_GRAY || cs.isCS_sRGB())) {
            int colours = cm.getNumColorComponents();
            byte[][] planes = new byte[colours][];
            for (int b = 0; b < colours; b++) planes[b] = band(raster, b, cm.getComponentSize(b), w, h);
            byte[] alpha = cm.hasAlpha() ? band(raster, colours, cm.getComponentSize(colours), w, h) : null;
            return new Planes(w, h, planes, alpha);
        }
        return ofArgb(img.getRGB(0, 0, w, h, null, 0, w), w, h, cm.hasAlpha());
    }

    private static Planes ofPalette(IndexColorModel icm, Raster raster, int w, int h) {
        int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        boolean grey = isGrey(icm);
        boolean hasAlpha = icm.hasAlpha();
        int n = w * h;
        byte[] r = new byte[n];
        byte[] g = grey ? r : new byte[n];
        byte[] b = grey ? r : new byte[n];
        byte[] a = hasAlpha ? new byte[n] : null;
        for (int i = 0; i < n; i++) {
            int k = idx[i];
            r[i] = (byte) icm.getRed(k);
            if (!grey) {
                g[i] = (byte) icm.getGreen(k);
                b[i] = (byte) icm.getBlue(k);
            }
            if (a != null) a[i] = (byte) icm.getAlpha(k);
        }
        return new Planes(w, h, grey ? new byte[][]{r} : new byte[][]{r, g, b}, a);
    }

    static Planes ofArgb(int[] argb, int w, int h, boolean hasAlpha) {
        int n = w * h;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        byte[] a = hasAlpha ? new byte[n] : null;
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            r[i] = (byte) (p >> 16);
            g[i] = (byte) (p >> 8);
            b[i] = (byte) p;
            if (a != null) a[i] = (byte) (p >>> 24);
        }
        return new Planes(w, h, new byte[][]{r, g, b}, a);
    }

    private static byte[] band(Raster raster, int band, int bits, int w, int h) {
        int[] s = raster.getSamples(0, 0, w, h, band, (int[]) null);
        byte[] out = new byte[s.length];
        if (bits == 8) {
            for (int i = 0; i < s.length; i++) out[i] = (byte) s[i];
        } else {
            long max = (1L << bits) - 1;
            for (int i = 0; i < s.length; i++) {
                long v = s[i] & 0xffffffffL;
                out[i] = (byte) Math.min(255, (v * 255 + max / 2) / max);
            }
        }
        return out;
    }

    /** This image as it should be shown under an EXIF orientation (1..8). */
    Planes oriented(int orientation) {
        if (orientation <= 1 || orientation > 8) return this;
        boolean swap = ExifOrientation.swapsAxes(orientation);
        int dw = swap ? height : width;
        int dh = swap ? width : height;
        int[] map = new int[dw * dh];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = width - 1 - x; sy = y; }
                    case 3 -> { sx = width - 1 - x; sy = height - 1 - y; }
                    case 4 -> { sx = x; sy = height - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = height - 1 - x; }
                    case 7 -> { sx = width - 1 - y; sy = height - 1 - x; }
                    default -> { sx = width - 1 - y; sy = x; } // 8
                }
                map[y * dw + x] = sy * width + sx;
            }
        }
        byte[][] planes = new byte[colour.length][];
        for (int c = 0; c < colour.length; c++) planes[c] = remap(colour[c], map);
        return new Planes(dw, dh, planes, alpha == null ? null : remap(alpha, map));
    }

    private static byte[] remap(byte[] src, int[] map) {
        byte[] out = new byte[map.length];
        for (int i = 0; i < map.length; i++) out[i] = src[map[i]];
        return out;
    }
}
