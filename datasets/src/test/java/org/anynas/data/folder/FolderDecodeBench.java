package org.anynas.data.folder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Times decoding a folder of N 28×28 grey PNGs (10 classes), cold and then as a cache hit.
 * Usage: FolderDecodeBench N WORKDIR (WORKDIR/images is written once and reused; WORKDIR/cache is cleared first).
 */
public final class FolderDecodeBench {
    private FolderDecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        Path images = work.resolve("images-" + n);
        if (!Files.isDirectory(images)) {
            Random random = new Random(1);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                byte[] px = new byte[784];
                random.nextBytes(px);
                for (int k = 0; k < 784; k++) if ((k / 28 + k % 28 + i) % 3 != 0) px[k] = 0; // PNG-like sparsity
                img.getRaster().setDataElements(0, 0, 28, 28, px);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(img, "png", out);
                Path f = images.resolve("class" + i % 10).resolve(String.format("%06d.png", i));
                Files.createDirectories(f.getParent());
                Files.write(f, out.toByteArray());
            }
            System.out.printf(Locale.ROOT, "wrote %d PNGs in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        }
        Path cache = work.resolve("cache");
        org.anynas.space.FileTree.delete(cache);
        long t0 = System.nanoTime();
        FolderDataset cold = FolderData.open(FolderSpec.of(images), cache, Progress.NONE);
        double coldS = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        FolderDataset warm = FolderData.open(FolderSpec.of(images), cache, Progress.NONE);
        double warmS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "cold: %d images in %.2f s = %.0f images/s on %d processors (%s)%n", cold.train().size(),
                coldS, cold.train().size() / coldS, Runtime.getRuntime().availableProcessors(), cold.shape());
        System.out.printf(Locale.ROOT, "cache hit: %.3f s (hit=%s)%n", warmS, warm.report().cacheHit());
    }
}
