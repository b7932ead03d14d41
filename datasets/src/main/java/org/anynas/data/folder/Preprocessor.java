package org.anynas.data.folder;

import org.anynas.space.Shape;

/**
 * Turns decoded planes into one C×H×W uint8 image: alpha composited on the background, colour to grey by
 * ITU-R BT.601 luma exactly as Pillow's convert("L") (L = (19595 R + 38470 G + 7471 B + 32768) >> 16, i.e.
 * R·299/1000 + G·587/1000 + B·114/1000 rounded), grey to colour by copying, then resized by the rule.
 */
record Preprocessor(Shape shape, FolderSpec.Resize resize, int background) {

    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** Writes the C×H×W bytes of {@code p} (already oriented) into {@code dst} at {@code off}. */
    void apply(Planes p, byte[] dst, int off) {
        byte[][] planes = composited(p);
        if (shape.channels() == 1 && planes.length == 3) {
            byte[] l = new byte[p.width() * p.height()];
            for (int i = 0; i < l.length; i++) l[i] = (byte) luma(planes[0][i] & 0xff, planes[1][i] & 0xff, planes[2][i] & 0xff);
            planes = new byte[][]{l};
        }
        int w = p.width();
        int h = p.height();
        int dw = shape.width();
        int dh = shape.height();
        // the source region read and where its resized copy lands in the output
        int sx = 0, sy = 0, sw = w, sh = h, cw = dw, ch = dh;
        if (resize == FolderSpec.Resize.CROP) {
            if ((long) w * dh > (long) h * dw) {
                sw = Math.max(1, Math.min(w, (int) Math.round((double) h * dw / dh)));
                sx = (w - sw) / 2;
            } else {
                sh = Math.max(1, Math.min(h, (int) Math.round((double) w * dh / dw)));
                sy = (h - sh) / 2;
            }
        } else if (resize == FolderSpec.Resize.PAD) {
            double s = Math.min((double) dw / w, (double) dh / h);
            cw = Math.max(1, Math.min(dw, (int) Math.round(w * s)));
            ch = Math.max(1, Math.min(dh, (int) Math.round(h * s)));
        }
        int ox = (dw - cw) / 2;
        int oy = (dh - ch) / 2;
        int plane = dw * dh;
        byte[][] resized = new byte[planes.length][];
        for (int c = 0; c < planes.length; c++) resized[c] = Resampler.resize(planes[c], w, sx, sy, sw, sh, cw, ch);
        for (int c = 0; c < shape.channels(); c++) {
            byte[] src = resized[planes.length == 1 ? 0 : c];
            int base = off + c * plane;
            if (cw != dw || ch != dh) java.util.Arrays.fill(dst, base, base + plane, (byte) backgroundOf(c));
            for (int y = 0; y < ch; y++) System.arraycopy(src, y * cw, dst, base + (oy + y) * dw + ox, cw);
        }
    }

    /** The background's value in output channel c: its luma for grey output. */
    private int backgroundOf(int c) {
        int r = (background >> 16) & 0xff, g = (background >> 8) & 0xff, b = background & 0xff;
        if (shape.channels() == 1) return luma(r, g, b);
        return c == 0 ? r : c == 1 ? g : b;
    }

    /** Colour planes with alpha composited on the background: grey images on the background's luma. */
    private byte[][] composited(Planes p) {
        if (p.alpha() == null) return p.colour();
        int r = (background >> 16) & 0xff, g = (background >> 8) & 0xff, b = background & 0xff;
        int[] bg = p.grey() ? new int[]{luma(r, g, b)} : new int[]{r, g, b};
        byte[] a = p.alpha();
        byte[][] out = new byte[p.colour().length][];
        for (int c = 0; c < out.length; c++) {
            byte[] src = p.colour()[c];
            byte[] o = new byte[src.length];
            int back = bg[c];
            for (int i = 0; i < src.length; i++) {
                int al = a[i] & 0xff;
                o[i] = (byte) (((src[i] & 0xff) * al + back * (255 - al) + 127) / 255);
            }
            out[c] = o;
        }
        return out;
    }
}
