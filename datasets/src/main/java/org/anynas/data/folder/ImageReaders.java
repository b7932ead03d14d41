package org.anynas.data.folder;

import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * ImageIO readers chosen by content, not by file name, one instance per thread and format.
 * The registry is filled once from this class's own class loader: ImageIO's registry otherwise looks only at the
 * thread context class loader of whichever thread touched ImageIO first, which misses the TwelveMonkeys plugins
 * under Spark, test runners, or a context class loader set by a host.
 */
final class ImageReaders {
    private static final List<ImageReaderSpi> ALL;

    static {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ClassLoader own = ImageReaders.class.getClassLoader();
        Iterator<ImageReaderSpi> it = ServiceLoader.load(ImageReaderSpi.class, own).iterator();
        while (it.hasNext()) {
            try {
                registry.registerServiceProvider(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                // a broken plugin elsewhere on the class path must not stop the others
            }
        }
        List<ImageReaderSpi> all = new ArrayList<>();
        // true: in the registry's pairwise order, so TwelveMonkeys' JPEG reader (which orders itself first) wins
        registry.getServiceProviders(ImageReaderSpi.class, true).forEachRemaining(all::add);
        ALL = List.copyOf(all);
    }

    private static final ThreadLocal<Map<ImageReaderSpi, ImageReader>> READERS = ThreadLocal.withInitial(HashMap::new);

    private ImageReaders() {
    }

    /** The names of the formats readable here, for messages and tests. */
    static List<String> formats() {
        List<String> names = new ArrayList<>();
        for (ImageReaderSpi spi : ALL) names.add(spi.getFormatNames()[0].toLowerCase(Locale.ROOT));
        return names;
    }

    /** A reader of this thread for the stream's content, the stream set as its input; null if no plugin knows it. */
    static ImageReader readerFor(ImageInputStream in, String fileName) throws IOException {
        String ext = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        ImageReaderSpi chosen = null;
        // the plugins claiming the file's suffix first: probing every plugin costs a few reads each
        for (ImageReaderSpi spi : ALL) {
            if (claims(spi, ext) && probe(spi, in)) {
                chosen = spi;
                break;
            }
        }
        if (chosen == null) {
            for (ImageReaderSpi spi : ALL) {
                if (!claims(spi, ext) && probe(spi, in)) {
                    chosen = spi;
                    break;
                }
            }
        }
        if (chosen == null) return null;
        ImageReader reader = READERS.get().get(chosen);
        if (reader == null) {
            reader = chosen.createReaderInstance();
            READERS.get().put(chosen, reader);
        }
        reader.setInput(in, false, true);
        return reader;
    }

    /** Resets a reader after use; one that failed is dropped, as its state is unknown. */
    static void release(ImageReader reader, boolean failed) {
        if (failed) {
            READERS.get().values().remove(reader);
            reader.dispose();
        } else {
            reader.reset();
        }
    }

    static boolean isJpeg(ImageReader reader) {
        for (String n : reader.getOriginatingProvider().getFormatNames()) if (n.equalsIgnoreCase("jpeg")) return true;
        return false;
    }

    /** Whether the plugin recognises the content; some (GIF's) throw on a file shorter than their signature. */
    private static boolean probe(ImageReaderSpi spi, ImageInputStream in) throws IOException {
        try {
            return spi.canDecodeInput(in);
        } catch (IOException | RuntimeException e) {
            in.seek(0); // the plugin's mark was never reset
            return false;
        }
    }

    private static boolean claims(ImageReaderSpi spi, String ext) {
        String[] suffixes = spi.getFileSuffixes();
        if (suffixes == null) return false;
        for (String s : suffixes) if (s.equalsIgnoreCase(ext)) return true;
        return false;
    }
}
