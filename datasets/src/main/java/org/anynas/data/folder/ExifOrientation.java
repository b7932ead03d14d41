package org.anynas.data.folder;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The EXIF orientation (1..8) of a JPEG, read with TwelveMonkeys' metadata classes; 1 when absent or unreadable. */
final class ExifOrientation {
    private ExifOrientation() {
    }

    /** Reads from the stream's start and leaves it at its start. */
    static int ofJpeg(ImageInputStream in) throws IOException {
        in.seek(0);
        try {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (segments.isEmpty()) return 1;
            byte[] data;
            try (InputStream s = segments.get(0).data()) {
                data = s.readAllBytes();
            }
            int start = 0;
            while (start < data.length && data[start] == 0) start++; // the pad byte after "Exif\0"
            Directory exif = new TIFFReader().read(new ByteArrayImageInputStream(data, start, data.length - start));
            Entry e = exif.getEntryById(TIFF.TAG_ORIENTATION);
            if (e == null || !(e.getValue() instanceof Number n)) return 1;
            int o = n.intValue();
            return o >= 1 && o <= 8 ? o : 1;
        } catch (IOException | RuntimeException e) {
            return 1; // broken EXIF: the pixels may still be fine, shown as stored
        } finally {
            in.seek(0);
        }
    }

    /** Orientations 5..8 turn the image a quarter: its shown width is its stored height. */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5;
    }
}
