package org.anynas.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the IDX format of MNIST and Fashion-MNIST (raw or gzipped), checking every header field. */
final class IdxReader {
    private static final int UBYTE = 0x08;

    private IdxReader() {
    }

    /** Images as bytes [n × rows × cols]; {@code dims[0..2]} receives n, rows, cols. */
    static byte[] images(Path file, int[] dims) {
        return read(file, 3, dims);
    }

    static byte[] labels(Path file) {
        return read(file, 1, new int[1]);
    }

    private static byte[] read(Path file, int rank, int[] dims) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UBYTE || (magic & 0xff) != rank) {
                throw new DatasetException(file + ": not an IDX file of rank " + rank + " unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            long total = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = in.readInt();
                if (dims[d] <= 0) throw new DatasetException(file + ": dimension " + d + " is " + dims[d]);
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 16) throw new DatasetException(file + ": " + total + " bytes is too large");
            byte[] data = new byte[(int) total];
            in.readFully(data);
            if (in.read() != -1) throw new DatasetException(file + ": trailing bytes after " + total + " values");
            return data;
        } catch (EOFException e) {
            throw new DatasetException(file + ": truncated (fewer values than its header declares)");
        } catch (java.util.zip.ZipException e) {
            throw new DatasetException(file + ": damaged gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
