package org.anynas.campaign;

import org.anynas.space.FileTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of this process's own ({@code final-PID-…}) for a worker's files until they are moved into place. A run
 * stopped hard (kill -9, or a second Ctrl-C, which halts the JVM) cannot remove its folder; the next run beside it
 * removes every such folder whose process has ended, and never one of a live process.
 */
record ScratchFolder(Path path) implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("final-(\\d+)-.+");

    /** Removes the folders of ended runs under {@code parent}, then makes this process's own there. */
    static ScratchFolder create(Path parent) throws IOException {
        Files.createDirectories(parent);
        sweep(parent);
        return new ScratchFolder(Files.createTempDirectory(parent, "final-" + ProcessHandle.current().pid() + "-"));
    }

    /** Removes the scratch folders under {@code parent} whose process has ended. */
    static void sweep(Path parent) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(p)) continue;
                long pid = Long.parseLong(m.group(1));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue; // a run beside this one
                delete(p);
            }
        }
    }

    @Override
    public void close() {
        delete(path);
    }

    private static void delete(Path folder) {
        try {
            FileTree.delete(folder);
        } catch (IOException e) {
            // left for the next sweep; nothing depends on these files
        }
    }
}
