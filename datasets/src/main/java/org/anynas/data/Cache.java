package org.anynas.data;

import org.anynas.space.FileTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What AnyNAS keeps on disk between runs, under one folder ({@link #base()}), and how it is listed and pruned. Three
 * kinds of entry, each rebuilt when missing: decoded image folders ({@code images/}), the dataset splits PyTorch workers
 * read ({@code splits/}) and the workers' unpacked sources ({@code anynas-torch-*}). Built-in datasets are looked for in
 * ~/.cache/anynas/&lt;name&gt; whatever the base ({@link DatasetLocator}), and are neither listed nor pruned. An entry's
 * last use is its marker file's modification time, which every run that reuses the entry sets ({@link #markUsed}).
 */
public final class Cache {
    private Cache() {
    }

    /** One entry: its kind, folder, size in bytes and when a run last used it. */
    public record Entry(String kind, Path path, long bytes, Instant lastUsed) {
    }

    /** What a prune removed, and a line for each entry it could not remove. */
    public record Pruned(List<Entry> removed, List<String> failed) {
    }

    // The layout, named here only: the producers (Datasets, DecodeCache, SplitFiles, WorkerSources) build it from these.
    /**
     * The marker file of an image folder or a split, written last: its modification time is the entry's last use. The
     * worker reads a split's by this name too (anynas_torch/data.py).
     */
    public static final String MARKER = "meta.json";
    /** The prefix of an unpacked worker source folder ({@code anynas-torch-<key>}, directly under the base). */
    public static final String WORKER_PREFIX = "anynas-torch-";

    private static final String IMAGES = "images";
    private static final String SPLITS = "splits";

    /** Decoded image folders, {@code <name>-<key>/} each. */
    public static Path images() {
        return base().resolve(IMAGES);
    }

    /** The dataset splits PyTorch workers read, {@code <name>-<key>/} each. */
    public static Path splits() {
        return base().resolve(SPLITS);
    }

    // entries are named by the key of their content: anything else in those folders is not the cache's
    private static final java.util.regex.Pattern KEYED = java.util.regex.Pattern.compile(".+-[0-9a-f]{12,20}");

    /** $ANYNAS_CACHE (the system property anynas.cache first, for tests), else ~/.cache/anynas. */
    public static Path base() {
        String env = System.getProperty("anynas.cache", System.getenv("ANYNAS_CACHE"));
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "anynas");
    }

    /** Marks an entry used now (its marker's modification time); a read-only cache is used all the same. */
    public static void markUsed(Path marker) {
        try {
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // a cache shared read-only: it still serves, it only looks older to a prune
        }
    }

    /** The entries under {@code base}, least recently used first. */
    public static List<Entry> entries(Path base) {
        List<Entry> out = new ArrayList<>();
        try {
            collect(out, "images", base.resolve(IMAGES), "*", MARKER);
            collect(out, "splits", base.resolve(SPLITS), "*", MARKER);
            collect(out, "worker", base, WORKER_PREFIX + "*", null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache " + base, e);
        }
        out.sort(Comparator.comparing(Entry::lastUsed).thenComparing(e -> e.path().toString()));
        return out;
    }

    /**
     * Removes the entries last used before {@code now − olderThan}; one that cannot be removed is reported and the others
     * still go. A later run that needs one builds it again. An image folder's lock file (empty) stays: a build that
     * holds it may be running.
     */
    public static Pruned prune(Path base, Duration olderThan) {
        Instant cut = Instant.now().minus(olderThan);
        List<Entry> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Entry e : entries(base)) {
            if (!e.lastUsed().isBefore(cut)) continue;
            try {
                FileTree.delete(e.path());
                removed.add(e);
            } catch (IOException x) {
                failed.add("cannot remove " + e.path() + ": " + x.getMessage());
            }
        }
        return new Pruned(removed, failed);
    }

    private static void collect(List<Entry> out, String kind, Path dir, String glob, String marker) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) {
                if (!Files.isDirectory(p) || !KEYED.matcher(p.getFileName().toString()).matches()) continue;
                Path m = marker != null && Files.isRegularFile(p.resolve(marker)) ? p.resolve(marker) : p;
                out.add(new Entry(kind, p, bytes(p), Files.getLastModifiedTime(m).toInstant()));
            }
        }
    }

    private static long bytes(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // removed meanwhile
                }
            }).sum();
        }
    }
}
