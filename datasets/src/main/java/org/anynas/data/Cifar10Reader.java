package org.anynas.data;

import org.anynas.space.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads CIFAR-10's binary version: records of 1 label byte + 3×32×32 pixel bytes (channel-major). */
final class Cifar10Reader {
    static final Shape SHAPE = Shape.of(3, 32, 32);
    private static final int RECORD = 1 + 3 * 32 * 32;

    private Cifar10Reader() {
    }

    static ImageSet read(String name, List<Path> files) {
        byte[][] contents = new byte[files.size()][];
        long records = 0;
        for (int f = 0; f < files.size(); f++) {
            try {
                contents[f] = Files.readAllBytes(files.get(f));
            } catch (IOException e) {
                throw new DatasetException(files.get(f) + ": cannot read (" + e.getMessage() + ")");
            }
            if (contents[f].length == 0 || contents[f].length % RECORD != 0) {
                throw new DatasetException(files.get(f) + ": " + contents[f].length + " bytes is not a whole number of "
                        + RECORD + "-byte CIFAR-10 records (truncated or not CIFAR-10 binary)");
            }
            records += contents[f].length / RECORD;
        }
        byte[] pixels = new byte[(int) records * (RECORD - 1)];
        byte[] labels = new byte[(int) records];
        int r = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] c = contents[f];
            for (int off = 0; off < c.length; off += RECORD, r++) {
                if ((c[off] & 0xff) > 9) {
                    throw new DatasetException(files.get(f) + ": record " + (off / RECORD) + " has label " + (c[off] & 0xff)
                            + " (CIFAR-10 labels are 0–9)");
                }
                labels[r] = c[off];
                System.arraycopy(c, off + 1, pixels, r * (RECORD - 1), RECORD - 1);
            }
        }
        return new ImageSet(name, SHAPE, 10, pixels, labels);
    }
}
