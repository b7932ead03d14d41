package org.anynas.data;

import org.anynas.space.Shape;
import org.anynas.space.UserInputException;

/**
 * Labelled images as unsigned bytes in NCHW order: compact (Fashion-MNIST's training set is 47 MB), converted
 * to tensors once per fidelity, never per step. The pixels may live on the heap or in a memory-mapped file
 * ({@link Pixels}); callers read them image by image.
 */
public record ImageSet(String name, Shape shape, int classes, Pixels store, byte[] labels) {

    public ImageSet {
        long per = shape.elements();
        if (store.imageBytes() != per || store.count() != labels.length) {
            throw new UserInputException(name + ": " + labels.length + " labels but " + store.count() + " images of "
                    + store.imageBytes() + " bytes for shape " + shape);
        }
        for (byte l : labels) {
            if ((l & 0xff) >= classes) throw new UserInputException(name + ": label " + (l & 0xff) + " >= " + classes + " classes");
        }
    }

    /** Images held in one heap array, image after image. */
    public ImageSet(String name, Shape shape, int classes, byte[] pixels, byte[] labels) {
        this(name, shape, classes, wholeImages(name, shape, pixels, labels), labels);
    }

    private static Pixels wholeImages(String name, Shape shape, byte[] pixels, byte[] labels) {
        if ((long) labels.length * shape.elements() != pixels.length) {
            throw new UserInputException(name + ": " + labels.length + " labels but " + pixels.length
                    + " pixel bytes for shape " + shape);
        }
        return Pixels.of(pixels, (int) shape.elements());
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** Bytes per image (C·H·W). */
    public int imageBytes() {
        return store.imageBytes();
    }

    /** Copies image {@code i} to {@code dst} at {@code offset}. */
    public void copyImage(int i, byte[] dst, int offset) {
        store.copy(i, dst, offset);
    }

    /**
     * Every pixel in one heap array (a copy): for sets known to be small, such as a fidelity's subset or a
     * test's images. Large sets are read image by image with {@link #copyImage}.
     */
    public byte[] pixels() {
        long bytes = (long) size() * imageBytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(name + ": " + bytes + " pixel bytes do not fit one array; read image by image");
        }
        byte[] all = new byte[(int) bytes];
        for (int i = 0; i < size(); i++) copyImage(i, all, i * imageBytes());
        return all;
    }

    /** The examples at {@code indices}, in that order (a view: no pixels are copied). */
    public ImageSet select(int[] indices, String suffix) {
        byte[] lb = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) lb[i] = labels[indices[i]];
        return new ImageSet(name + suffix, shape, classes, Pixels.select(store, indices), lb);
    }

    public ImageSet first(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return select(idx, "[:" + idx.length + "]");
    }

    /** Images per class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (byte l : labels) counts[l & 0xff]++;
        return counts;
    }
}
