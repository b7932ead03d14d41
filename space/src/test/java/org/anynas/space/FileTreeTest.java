package org.anynas.space;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileTreeTest {

    @Test
    void removesAFolderWithEverythingUnderItAndLeavesItsNeighbours(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(tree.resolve("x.txt"), "x");
        Files.writeString(dir.resolve("a/y.txt"), "y");
        Path neighbour = Files.writeString(dir.resolve("keep.txt"), "kept");
        FileTree.delete(dir.resolve("a"));
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(neighbour).hasContent("kept");
    }

    @Test
    void aMissingPathIsNothingToDoAndAFileIsRemovedItself(@TempDir Path dir) throws Exception {
        FileTree.delete(dir.resolve("missing"));
        Path file = Files.writeString(dir.resolve("f.txt"), "f");
        FileTree.delete(file);
        assertThat(file).doesNotExist();
        assertThat(dir).isDirectory();
    }

    @Test
    void aLinkIsRemovedNotFollowed(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectories(dir.resolve("target"));
        Path inside = Files.writeString(target.resolve("kept.txt"), "kept");
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Files.createSymbolicLink(folder.resolve("link"), target);
        FileTree.delete(folder);
        assertThat(folder).doesNotExist();
        assertThat(inside).hasContent("kept");
    }
}
