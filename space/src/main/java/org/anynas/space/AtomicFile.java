package org.anynas.space;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A small text file written whole or not at all: a reader (or a run resumed after a kill) never sees half of it. */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code text} to a hidden sibling and moves it over {@code file} in one step. A failure (a full disk, no
     * permission) is the user's to fix: a {@link UserInputException} naming the file.
     */
    public static Path write(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UserInputException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
