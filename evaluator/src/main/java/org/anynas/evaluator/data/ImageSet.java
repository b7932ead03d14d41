package org.anynas.evaluator.data;

import org.anynas.space.UserInputException;
import org.anynas.space.Shape;

/**
 * Labelled images as unsigned bytes in NCHW order: compact (Fashion-MNIST's training set is 47 MB), and
 * converted to tensors once per fidelity, never per step.
 */
public record ImageSet(String name, Shape shape, int classes, byte[] pixels, byte[] labels) {

    public ImageSet {
        long per = shape.elements();
        if ((long) labels.length * per != pixels.length) {
            throw new UserInputException(name + ": " + labels.length + " labels but " + pixels.length
                    + " pixel bytes for shape " + shape);
        }
        for (byte l : labels) {
            if ((l & 0xff) >= classes) throw new UserInputException(name + ": label " + (l & 0xff) + " >= " + classes + " classes");
        }
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The examples at {@code indices}, in that order. */
    public ImageSet select(int[] indices, String suffix) {
        int per = (int) shape.elements();
        byte[] px = new byte[indices.length * per];
        byte[] lb = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * per, px, i * per, per);
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(name + suffix, shape, classes, px, lb);
    }

    public ImageSet first(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return select(idx, "[:" + idx.length + "]");
    }
}
