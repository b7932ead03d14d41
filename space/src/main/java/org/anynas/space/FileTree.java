package org.anynas.space;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder and everything under it, removed: the one recursive delete of the code base. */
public final class FileTree {
    private FileTree() {
    }

    /**
     * Removes {@code root} (a folder or a file) and everything under it, deepest first; nothing when it does not exist,
     * and no failure for an entry that vanished meanwhile (another process cleaning the same place).
     */
    public static void delete(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                return;
            } catch (java.io.UncheckedIOException e) { // the walk met a folder that vanished: walk what is left again
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 3) throw e.getCause();
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt == 3) throw e;
            }
        }
    }
}
