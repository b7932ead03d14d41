package org.anynas.data.folder;

import org.anynas.space.FileTree;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.anynas.data.DatasetException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded images under {@code cacheRoot/<name>-<key>/}, where the key hashes every file's relative path, size,
 * modification time, label and split, the preprocessing settings and {@link #FORMAT}: any change to the files or
 * settings gives a new entry. An entry is built in a temporary folder and published by an atomic rename, while
 * holding a file lock on {@code <name>-<key>.lock} (and a monitor, as a JVM cannot lock one file twice), so
 * concurrent builders of one entry build it once and the others reuse it. Reusing an entry marks it used; {@code ./nas
 * cache prune} removes the entries no run used for a while ({@link org.anynas.data.Cache}).
 */
final class DecodeCache {
    /** Raise when the cache files or the decoding change, so old entries are not reused. */
    static final int FORMAT = 1;
    static final String META = org.anynas.data.Cache.MARKER;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private DecodeCache() {
    }

    /** The entry's folder name: the source's name (readable in a listing) and the key. */
    static String entryName(FolderScan scan, FolderSpec spec) {
        String base = spec.source().toAbsolutePath().normalize().getFileName() == null ? "root"
                : spec.source().toAbsolutePath().normalize().getFileName().toString();
        if (base.toLowerCase(Locale.ROOT).endsWith(".csv")) base = base.substring(0, base.length() - 4);
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.length() > 40) base = base.substring(0, 40);
        return base + "-" + key(scan, spec);
    }

    static String key(FolderScan scan, FolderSpec spec) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int[] size = spec.imageSize();
        StringBuilder head = new StringBuilder("anynas-folder-cache ").append(FORMAT).append('\n')
                .append(scan.layout()).append('\n')
                .append(size == null ? "auto" : size[0] + "x" + size[1]).append(' ').append(spec.resize())
                .append(' ').append(spec.channels()).append(' ').append(spec.background()).append(' ')
                .append(spec.onBadImage()).append('\n');
        for (String c : scan.classNames()) head.append(c).append('\u0000');
        sha.update(head.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder(128);
        for (ImageEntry e : scan.entries()) {
            line.setLength(0);
            line.append(e.split().ordinal()).append('\u0000').append(e.label()).append('\u0000').append(e.relative())
                    .append('\u0000').append(e.bytes()).append('\u0000').append(e.modified()).append('\n');
            sha.update(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 10);
    }

    /** The entry's meta, building the entry first unless it exists; {@code built[0]} tells whether this call built it. */
    static CacheMeta openOrBuild(Path cacheRoot, String name, CacheBuilder builder, boolean[] built) {
        Path dir = cacheRoot.resolve(name);
        CacheMeta meta = readMeta(dir);
        if (meta != null) {
            org.anynas.data.Cache.markUsed(dir.resolve(META));
            return meta;
        }
        try {
            Files.createDirectories(cacheRoot);
            Path lockFile = cacheRoot.resolve(name + ".lock");
            synchronized (MONITORS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object())) {
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    meta = readMeta(dir); // another process may have built it while we waited
                    if (meta != null) return meta;
                    FileTree.delete(dir); // no meta: a broken entry
                    deleteStaleTemps(cacheRoot, name);
                    Path tmp = cacheRoot.resolve(name + ".tmp-" + UUID.randomUUID());
                    Files.createDirectories(tmp);
                    try {
                        meta = builder.build(tmp);
                        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(META).toFile(), meta);
                        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        FileTree.delete(tmp);
                    }
                    built[0] = true;
                    return meta;
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot write the image cache in " + cacheRoot + ": " + e.getMessage()
                    + ": check that it is writable and has free space");
        }
    }

    static CacheMeta readMeta(Path dir) {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) return null;
        try {
            CacheMeta meta = JSON.readValue(file.toFile(), CacheMeta.class);
            return meta.format() == FORMAT ? meta : null;
        } catch (IOException e) {
            return null; // unreadable meta: rebuilt under the lock
        }
    }

    /** Temporary folders of this entry left by a builder that died: nobody else holds the lock, so none is live. */
    private static void deleteStaleTemps(Path cacheRoot, String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(cacheRoot, name + ".tmp-*")) {
            for (Path p : s) FileTree.delete(p);
        }
    }
}
