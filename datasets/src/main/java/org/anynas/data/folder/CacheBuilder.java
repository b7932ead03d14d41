package org.anynas.data.folder;

import org.anynas.data.DatasetException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

/**
 * Decodes every scanned image into {@code <split>.pixels} (C×H×W uint8, scan order) and {@code <split>.labels}
 * (int32 little-endian) in a folder. Files are decoded on all processors, but written in scan order.
 * When size or channels are automatic, a first pass reads every header to choose them.
 */
final class CacheBuilder {
    private final FolderScan scan;
    private final FolderSpec spec;
    private final Progress progress;
    private final int threads;

    CacheBuilder(FolderScan scan, FolderSpec spec, Progress progress, int threads) {
        this.scan = scan;
        this.spec = spec;
        this.progress = progress;
        this.threads = threads;
    }

    /** The outcome of one file: a header or pixels, or why it could not be read. */
    private record Outcome<T>(T value, String bad) {
    }

    CacheMeta build(Path dir) throws IOException {
        List<ImageEntry> entries = scan.entries();
        int n = entries.size();
        String[] bad = new String[n];
        int[] badCount = new int[1];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "anynas-decode-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ImageHeader[] headers = new ImageHeader[n];
            boolean auto = spec.imageSize() == null || spec.channels() == FolderSpec.Channels.AUTO;
            if (auto) {
                ordered(pool, n, i -> attempt(() -> ImageDecoder.header(entries.get(i).file(), entries.get(i).bytes())),
                        (o, i) -> {
                            if (o.bad != null) noteBad(i, o.bad, bad, badCount);
                            else headers[i] = o.value;
                        });
                if (badCount[0] == n) throw noneReadable(badFiles(bad));
            }
            ShapeChoice choice = ShapeChoice.of(spec, readable(headers, bad));
            progress.start(n - badCount[0]);
            Map<FolderSplit, IntList> labels = decode(pool, dir, choice, bad, badCount);
            progress.done();
            if (auto) {
                // a file whose header reads but whose pixels do not (a truncated PNG) must not sway the choice
                ShapeChoice fixed = ShapeChoice.of(spec, readable(headers, bad));
                if (!fixed.shape().equals(choice.shape())) labels = decode(pool, dir, fixed, bad, badCount);
                choice = fixed;
            }

            Map<String, List<Integer>> perClass = new LinkedHashMap<>();
            for (Map.Entry<FolderSplit, IntList> l : labels.entrySet()) {
                writeLabels(dir.resolve(l.getKey().key() + ".labels"), l.getValue());
                perClass.put(l.getKey().key(), l.getValue().histogram(scan.classNames().size()));
            }
            List<BadFile> badFiles = badFiles(bad);
            checkEveryClassHasImages(perClass.get(FolderSplit.TRAIN.key()), badFiles);
            return new CacheMeta(DecodeCache.FORMAT, scan.layout(), scan.classNames(), choice.shape().channels(),
                    choice.shape().height(), choice.shape().width(), perClass, badFiles, choice.sizeNote(), choice.channelsNote());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<ImageHeader> readable(ImageHeader[] headers, String[] bad) {
        List<ImageHeader> out = new ArrayList<>(headers.length);
        for (int i = 0; i < headers.length; i++) if (headers[i] != null && bad[i] == null) out.add(headers[i]);
        return out;
    }

    /** Decodes every file not yet known bad into the split files (replacing any), returning the labels per split. */
    private Map<FolderSplit, IntList> decode(ExecutorService pool, Path dir, ShapeChoice choice, String[] bad, int[] badCount)
            throws IOException {
        List<ImageEntry> entries = scan.entries();
        Preprocessor pre = new Preprocessor(choice.shape(), spec.resize(), spec.background());
        int imageBytes = (int) choice.shape().elements();
        Map<FolderSplit, OutputStream> pixels = new EnumMap<>(FolderSplit.class);
        Map<FolderSplit, IntList> labels = new EnumMap<>(FolderSplit.class);
        try {
            ordered(pool, entries.size(), i -> {
                if (bad[i] != null) return null;
                ImageEntry e = entries.get(i);
                return attempt(() -> {
                    byte[] px = new byte[imageBytes];
                    pre.apply(ImageDecoder.decode(e.file(), e.bytes()), px, 0);
                    return px;
                });
            }, (o, i) -> {
                if (o == null) return; // known bad: counted when found
                ImageEntry e = entries.get(i);
                progress.advance(1);
                if (o.bad != null) {
                    noteBad(i, o.bad, bad, badCount);
                    return;
                }
                try {
                    OutputStream out = pixels.get(e.split());
                    if (out == null) {
                        out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(e.split().key() + ".pixels")), 1 << 20);
                        pixels.put(e.split(), out);
                    }
                    out.write(o.value);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                labels.computeIfAbsent(e.split(), s -> new IntList()).add(e.label());
            });
        } finally {
            for (OutputStream out : pixels.values()) out.close();
        }
        return labels;
    }

    private void noteBad(int i, String reason, String[] bad, int[] badCount) {
        if (spec.onBadImage() == FolderSpec.OnBadImage.FAIL) {
            throw new DatasetException("cannot read image " + scan.entries().get(i).relative() + ": " + reason
                    + ": fix or remove the file, or let bad images be skipped");
        }
        bad[i] = reason;
        badCount[0]++;
    }

    /** The bad files in scan order, whichever pass found them. */
    private List<BadFile> badFiles(String[] bad) {
        List<BadFile> out = new ArrayList<>();
        for (int i = 0; i < bad.length; i++) if (bad[i] != null) out.add(new BadFile(scan.entries().get(i).relative(), bad[i]));
        return out;
    }

    private DatasetException noneReadable(List<BadFile> badFiles) {
        return new DatasetException("none of the " + badFiles.size() + " images in " + spec.source()
                + " can be read (first: " + badFiles.get(0) + "): check that these are image files");
    }

    private void checkEveryClassHasImages(List<Integer> train, List<BadFile> badFiles) {
        List<String> names = scan.classNames();
        for (int c = 0; c < names.size(); c++) {
            if (train == null || train.get(c) == 0) {
                String first = badFiles.isEmpty() ? "" : " (first bad file: " + badFiles.get(0) + ")";
                throw new DatasetException("class " + names.get(c) + " has no readable training images: all of its files are "
                        + "bad" + first + ": fix them or add readable images");
            }
        }
    }

    private interface Work<T> {
        T run() throws BadImageException;
    }

    private static <T> Outcome<T> attempt(Work<T> work) {
        try {
            return new Outcome<>(work.run(), null);
        } catch (BadImageException e) {
            return new Outcome<>(null, e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome<>(null, ImageDecoder.reason(e)); // a decoder's own bug on odd input: still one bad file
        }
    }

    /** Runs task(0..n-1) on the pool, a bounded window ahead, and hands the results to sink in index order. */
    private <T> void ordered(ExecutorService pool, int n, IntFunction<T> task, ObjIntConsumer<T> sink) {
        int window = threads * 64;
        ArrayDeque<Future<T>> pending = new ArrayDeque<>();
        int submitted = 0;
        try {
            for (int i = 0; i < n; i++) {
                while (submitted < n && submitted - i < window) {
                    int k = submitted++;
                    pending.add(pool.submit(() -> task.apply(k)));
                }
                T result;
                try {
                    result = pending.poll().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatasetException("decoding images was interrupted");
                }
                sink.accept(result, i);
            }
        } finally {
            for (Future<T> f : pending) f.cancel(true);
        }
    }

    private static void writeLabels(Path file, IntList labels) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(labels.size * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < labels.size; i++) buf.putInt(labels.values[i]);
        Files.write(file, buf.array());
    }

    private static final class IntList {
        int[] values = new int[1024];
        int size;

        void add(int v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        List<Integer> histogram(int classes) {
            int[] h = new int[classes];
            for (int i = 0; i < size; i++) h[values[i]]++;
            List<Integer> out = new ArrayList<>(classes);
            for (int c : h) out.add(c);
            return out;
        }
    }
}
