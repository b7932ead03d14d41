package org.anynas.bench;

import org.anynas.data.ImageSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A built-in dataset written out as one PNG file per image plus {@code images.csv} ({@code path,label,split}) in
 * the sets' own order, with the class index as label: the folder path must then give exactly the built-in path's
 * pixels, order and split.
 */
public final class ImagesAsFiles {
    private ImagesAsFiles() {
    }

    /** Writes {@code dir/<part>/<index>.png} and {@code dir/images.csv}; returns the CSV. */
    public static Path write(Path dir, ImageSet train, ImageSet test) {
        try {
            Files.createDirectories(dir);
            List<String> rows = new ArrayList<>();
            rows.add("path,label,split");
            for (var part : List.of(new Object[]{"train", train}, new Object[]{"test", test})) {
                String name = (String) part[0];
                ImageSet set = (ImageSet) part[1];
                Path folder = dir.resolve(name);
                Files.createDirectories(folder);
                IntStream.range(0, set.size()).parallel().forEach(i -> png(set, i, folder.resolve(file(i))));
                for (int i = 0; i < set.size(); i++) rows.add(name + "/" + file(i) + "," + set.label(i) + "," + name);
            }
            Path csv = dir.resolve("images.csv");
            Files.write(csv, rows);
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String file(int i) {
        return String.format(Locale.ROOT, "%05d.png", i);
    }

    private static void png(ImageSet set, int i, Path file) {
        var s = set.shape();
        if (s.channels() != 1 && s.channels() != 3) throw new IllegalArgumentException("1 or 3 channels, got " + s.channels());
        byte[] px = new byte[set.imageBytes()];
        set.copyImage(i, px, 0);
        int h = s.height();
        int w = s.width();
        BufferedImage image = new BufferedImage(w, h, s.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = image.getRaster();
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) r.setSample(x, y, c, px[(c * h + y) * w + x] & 0xff);
            }
        }
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
