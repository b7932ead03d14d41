package org.anynas.data.folder;

import com.twelvemonkeys.imageio.color.ColorSpaces;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/** Writes small generated images of every kind the folder reader meets. Sizes are given as width, height. */
final class TestImages {
    private TestImages() {
    }

    static BufferedImage grey(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] px = new int[w * h];
        Arrays.fill(px, value);
        img.getRaster().setSamples(0, 0, w, h, 0, px);
        return img;
    }

    static BufferedImage rgb(int w, int h, int r, int g, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (r << 16) | (g << 8) | b);
        return img;
    }

    static BufferedImage rgba(int w, int h, int r, int g, int b, int a) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (a << 24) | (r << 16) | (g << 8) | b);
        return img;
    }

    /** A 4-colour palette image filled with palette entry {@code index}. */
    static BufferedImage palette(int w, int h, byte[] r, byte[] g, byte[] b, int index) {
        IndexColorModel cm = new IndexColorModel(2, r.length, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
        int[] px = new int[w * h];
        Arrays.fill(px, index);
        img.getRaster().setSamples(0, 0, w, h, 0, px);
        return img;
    }

    static BufferedImage grey16(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        int[] px = new int[w * h];
        Arrays.fill(px, value);
        img.getRaster().setSamples(0, 0, w, h, 0, px);
        return img;
    }

    /** Left half black, right half white: shows how an image was turned. */
    static BufferedImage halves(int w, int h) {
        BufferedImage img = grey(w, h, 0);
        for (int y = 0; y < h; y++) for (int x = w / 2; x < w; x++) img.getRaster().setSample(x, y, 0, 255);
        return img;
    }

    static Path write(Path file, BufferedImage img, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, format, file.toFile())) throw new IllegalStateException("no " + format + " writer for " + img);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path png(Path file, BufferedImage img) {
        return write(file, img, "png");
    }

    static byte[] jpegBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "jpeg", out)) throw new IllegalStateException("no jpeg writer");
        return out.toByteArray();
    }

    /** A CMYK JPEG (Adobe APP14, inverted as Photoshop writes it) filled with one CMYK colour, by TwelveMonkeys' writer. */
    static Path cmykJpeg(Path file, int w, int h, int c, int m, int y, int k) throws IOException {
        ColorSpace cmyk = ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK);
        ComponentColorModel cm = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        for (int yy = 0; yy < h; yy++) {
            for (int x = 0; x < w; x++) raster.setPixel(x, yy, new int[]{c, m, y, k});
        }
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = null;
        while (writers.hasNext()) {
            ImageWriter wr = writers.next();
            if (wr.getClass().getName().startsWith("com.twelvemonkeys")) writer = wr;
        }
        if (writer == null) throw new IllegalStateException("TwelveMonkeys JPEG writer missing");
        Files.createDirectories(file.getParent());
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(img, null, null));
        } finally {
            writer.dispose();
        }
        return file;
    }

    /** A JPEG with an EXIF APP1 segment holding only the orientation tag, inserted right after SOI. */
    static Path exifJpeg(Path file, BufferedImage img, int orientation) throws IOException {
        byte[] jpeg = jpegBytes(img);
        byte[] tiff = {
                'I', 'I', 42, 0, 8, 0, 0, 0,          // little-endian TIFF header, IFD at 8
                1, 0,                                   // one entry
                0x12, 0x01, 3, 0, 1, 0, 0, 0,           // tag 0x0112 Orientation, SHORT, count 1
                (byte) orientation, 0, 0, 0,            // value
                0, 0, 0, 0                              // no next IFD
        };
        byte[] id = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + id.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        out.write(new byte[]{(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length});
        out.write(id);
        out.write(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toByteArray());
        return file;
    }

    /** A valid PNG cut to half its bytes. */
    static Path truncatedPng(Path file, BufferedImage img) throws IOException {
        png(file, img);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        return file;
    }

    static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
