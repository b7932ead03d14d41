package org.anynas.data;

/**
 * Where the uint8 pixels of an image set live: a heap array for built-in datasets, a memory-mapped decode cache
 * for image folders (which may be larger than the heap), or a selection of another store's images. Readers copy
 * one image at a time, so no caller needs every pixel on the heap at once.
 */
public interface Pixels {

    /** Bytes per image (C·H·W). */
    int imageBytes();

    /** Number of images. */
    int count();

    /** Copies image {@code i} (C·H·W bytes, channel-major) to {@code dst} at {@code offset}. */
    void copy(int i, byte[] dst, int offset);

    /** Pixels held in one heap array, image after image. */
    static Pixels of(byte[] pixels, int imageBytes) {
        return new ArrayPixels(pixels, imageBytes);
    }

    /** The images at {@code indices} of {@code base}, in that order: a view, nothing copied. */
    static Pixels select(Pixels base, int[] indices) {
        if (base instanceof Selection s) { // a selection of a selection indexes the base directly
            int[] composed = new int[indices.length];
            for (int i = 0; i < indices.length; i++) composed[i] = s.indices[indices[i]];
            return new Selection(s.base, composed);
        }
        return new Selection(base, indices.clone());
    }

    record ArrayPixels(byte[] pixels, int imageBytes) implements Pixels {
        public ArrayPixels {
            if (imageBytes <= 0 || pixels.length % imageBytes != 0) {
                throw new IllegalArgumentException(pixels.length + " pixel bytes are not whole images of " + imageBytes + " bytes");
            }
        }

        @Override
        public int count() {
            return pixels.length / imageBytes;
        }

        @Override
        public void copy(int i, byte[] dst, int offset) {
            System.arraycopy(pixels, i * imageBytes, dst, offset, imageBytes);
        }
    }

    final class Selection implements Pixels {
        private final Pixels base;
        private final int[] indices;

        private Selection(Pixels base, int[] indices) {
            for (int i : indices) {
                if (i < 0 || i >= base.count()) throw new IndexOutOfBoundsException("image " + i + " of " + base.count());
            }
            this.base = base;
            this.indices = indices;
        }

        @Override
        public int imageBytes() {
            return base.imageBytes();
        }

        @Override
        public int count() {
            return indices.length;
        }

        @Override
        public void copy(int i, byte[] dst, int offset) {
            base.copy(indices[i], dst, offset);
        }
    }
}
