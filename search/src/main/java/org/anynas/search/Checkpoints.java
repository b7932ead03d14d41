package org.anynas.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run folder's checkpoints of a fidelity ladder: one file per network and rung (weights, optimizer state and
 * step count, as the backend writes them), named by the network's hash and the epochs trained. Files survive a
 * kill, so a resumed campaign continues from them; the search deletes each as soon as it cannot be continued.
 */
final class Checkpoints {
    private static final String SUFFIX = ".ckpt";
    private final Path dir;

    private Checkpoints(Path dir) {
        this.dir = dir;
    }

    static Checkpoints in(Path dir) {
        if (dir == null) throw new IllegalArgumentException("a fidelity ladder needs a checkpoint folder");
        return new Checkpoints(dir);
    }

    /** Where the network's state after {@code epochs} epochs is (or goes); the folder exists once this returns. */
    Path file(String hash, int epochs) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint folder " + dir, e);
        }
        return dir.resolve(hash + "-e" + epochs + SUFFIX);
    }

    void delete(String hash, int epochs) {
        try {
            Files.deleteIfExists(dir.resolve(hash + "-e" + epochs + SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete checkpoint " + file(hash, epochs), e);
        }
    }

    /** Every checkpoint (and a temporary file a killed trainer left), then the folder if nothing else is in it. */
    void deleteAll() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX + "{,.tmp}")) {
            for (Path f : files) Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoints in " + dir, e);
        }
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
            if (!rest.iterator().hasNext()) Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
