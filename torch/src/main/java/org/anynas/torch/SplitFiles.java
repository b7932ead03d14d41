package org.anynas.torch;

import org.anynas.data.Cache;
import org.anynas.space.FileTree;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.data.Dataset;
import org.anynas.data.ImageSet;
import org.anynas.space.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The engine's split of a dataset as files a worker reads: {@code <part>.u8} (N×C×H×W pixels),
 * {@code <part>-labels.u8} and {@code meta.json}, for parts train, val and test. The engine decides which
 * images are in which part; a worker only loads them. The folder is named by a hash of its content, so
 * campaigns on the same split share it, and it is written atomically (a half-written folder is never used).
 */
public final class SplitFiles {
    private SplitFiles() {
    }

    public static Path write(Dataset dataset, Path cacheRoot) {
        Map<String, ImageSet> parts = new java.util.LinkedHashMap<>();
        parts.put("train", dataset.train());
        parts.put("val", dataset.validation());
        if (dataset.test() != null) parts.put("test", dataset.test());
        Path dir = cacheRoot.resolve(dataset.name() + "-" + hash(parts));
        if (Files.isRegularFile(dir.resolve(Cache.MARKER))) {
            Cache.markUsed(dir.resolve(Cache.MARKER));
            return dir;
        }
        try {
            Files.createDirectories(cacheRoot);
            Path tmp = Files.createTempDirectory(cacheRoot, "split-");
            ObjectNode meta = Json.json().createObjectNode();
            meta.put("name", dataset.name());
            var shape = meta.putArray("shape");
            shape.add(dataset.shape().channels()).add(dataset.shape().height()).add(dataset.shape().width());
            meta.put("classes", dataset.classes());
            ObjectNode counts = meta.putObject("parts");
            for (var e : parts.entrySet()) {
                writePixels(e.getValue(), tmp.resolve(e.getKey() + ".u8"));
                Files.write(tmp.resolve(e.getKey() + "-labels.u8"), e.getValue().labels());
                counts.put(e.getKey(), e.getValue().size());
            }
            Files.writeString(tmp.resolve(Cache.MARKER), Json.json().writeValueAsString(meta));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) { // another process wrote the same split first
                if (!Files.isRegularFile(dir.resolve(Cache.MARKER))) throw raced;
                FileTree.delete(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dataset split for PyTorch workers under " + cacheRoot, e);
        }
    }

    private static String hash(Map<String, ImageSet> parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : parts.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(e.getValue().shape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                byte[] image = new byte[e.getValue().imageBytes()];
                for (int i = 0; i < e.getValue().size(); i++) { // image by image: the set may be memory-mapped
                    e.getValue().copyImage(i, image, 0);
                    md.update(image);
                }
                md.update(e.getValue().labels());
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePixels(ImageSet set, Path file) throws IOException {
        byte[] image = new byte[set.imageBytes()];
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < set.size(); i++) {
                set.copyImage(i, image, 0);
                out.write(image);
            }
        }
    }
}
