package org.anynas.torch;

import org.anynas.space.FileTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The Python package {@code anynas_torch} (network builder, training, worker), shipped inside the jar and
 * unpacked once per version into a folder that goes on the worker's PYTHONPATH.
 */
public final class WorkerSources {
    /** Every file of the package, in the jar under {@code /anynas_torch/}. */
    static final List<String> FILES = List.of("__init__.py", "data.py", "graph.py", "training.py", "worker.py");

    private WorkerSources() {
    }

    /** Unpacks the package under {@code root}; returns the folder to put on PYTHONPATH. */
    public static Path unpack(Path root) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            java.util.Map<String, byte[]> content = new java.util.LinkedHashMap<>();
            for (String f : FILES) {
                try (InputStream in = WorkerSources.class.getResourceAsStream("/anynas_torch/" + f)) {
                    if (in == null) throw new IllegalStateException("anynas_torch/" + f + " is missing from the jar");
                    byte[] b = in.readAllBytes();
                    content.put(f, b);
                    md.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update(b);
                }
            }
            Path dir = root.resolve(org.anynas.data.Cache.WORKER_PREFIX + HexFormat.of().formatHex(md.digest(), 0, 6));
            if (Files.isDirectory(dir.resolve("anynas_torch"))) {
                org.anynas.data.Cache.markUsed(dir);
                return dir;
            }
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, "unpack-");
            Files.createDirectories(tmp.resolve("anynas_torch"));
            for (var e : content.entrySet()) Files.write(tmp.resolve("anynas_torch").resolve(e.getKey()), e.getValue());
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(dir.resolve("anynas_torch"))) throw raced;
                FileTree.delete(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the PyTorch worker under " + root, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
