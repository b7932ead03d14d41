package org.anynas.data.folder;

import org.anynas.data.DatasetException;
import org.anynas.space.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only, memory-mapped images of one cache file: C×H×W uint8 each, channel-major (as ImageSet), so a dataset
 * larger than the heap costs page cache, not heap. One mapping holds at most 2 GiB, so a larger file is mapped as
 * several buffers, each holding whole images. Labels (class indices) are on the heap. Safe for concurrent readers.
 */
public final class MappedImages implements org.anynas.data.Pixels {
    /** The most bytes one mapping may hold: a ByteBuffer is int-indexed. */
    static final long MAX_CHUNK = Integer.MAX_VALUE;

    private final Shape shape;
    private final int[] labels;
    private final int imageBytes;
    private final int perChunk;
    private final ByteBuffer[] chunks;

    private MappedImages(Shape shape, int[] labels, int perChunk, ByteBuffer[] chunks) {
        this.shape = shape;
        this.labels = labels;
        this.imageBytes = (int) shape.elements();
        this.perChunk = perChunk;
        this.chunks = chunks;
    }

    static MappedImages open(Path pixels, Path labelFile, Shape shape) {
        return open(pixels, labelFile, shape, MAX_CHUNK);
    }

    /** {@code chunkBytes}: the most bytes per mapping; tests pass a small one to exercise several mappings. */
    static MappedImages open(Path pixels, Path labelFile, Shape shape, long chunkBytes) {
        long imageBytes = shape.elements();
        if (imageBytes > chunkBytes) throw new IllegalArgumentException("one image is larger than a mapping");
        try {
            int[] labels = readLabels(labelFile);
            int n = labels.length;
            int perChunk = (int) Math.min(n == 0 ? 1 : n, chunkBytes / imageBytes);
            try (FileChannel ch = FileChannel.open(pixels, StandardOpenOption.READ)) {
                if (ch.size() != n * imageBytes) {
                    throw new DatasetException("cache file " + pixels + " holds " + ch.size() + " bytes, not " + n + " images of "
                            + shape + ": delete " + pixels.getParent() + " to rebuild it");
                }
                int count = n == 0 ? 0 : (n + perChunk - 1) / perChunk;
                ByteBuffer[] chunks = new ByteBuffer[count];
                for (int c = 0; c < count; c++) {
                    long first = (long) c * perChunk;
                    long images = Math.min(perChunk, n - first);
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, first * imageBytes, images * imageBytes);
                    chunks[c] = m;
                }
                return new MappedImages(shape, labels, Math.max(perChunk, 1), chunks);
            }
        } catch (IOException e) {
            throw new DatasetException("cannot map cache file " + pixels + ": " + e.getMessage());
        }
    }

    private static int[] readLabels(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        int[] labels = new int[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels);
        return labels;
    }

    public int size() {
        return labels.length;
    }

    /** The class index of image i. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels, in image order. */
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int imageBytes() {
        return imageBytes;
    }

    @Override
    public int count() {
        return labels.length;
    }

    @Override
    public void copy(int i, byte[] dst, int offset) {
        copyImage(i, dst, offset);
    }

    /** Copies image i's C×H×W bytes into {@code dst} from {@code off}. */
    public void copyImage(int i, byte[] dst, int off) {
        if (i < 0 || i >= labels.length) throw new IndexOutOfBoundsException("image " + i + " of " + labels.length);
        // absolute get: no shared position, so readers on many threads need no lock
        chunks[i / perChunk].get((i % perChunk) * imageBytes, dst, off, imageBytes);
    }

    public Shape shape() {
        return shape;
    }

    /** How many mappings hold the images (more than one only past 2 GiB, or with a test's small chunk size). */
    int mappings() {
        return chunks.length;
    }

    @Override
    public String toString() {
        return "MappedImages[" + labels.length + " × " + shape + "]";
    }
}
