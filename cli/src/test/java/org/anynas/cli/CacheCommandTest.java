package org.anynas.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CacheCommandTest extends CapturedConsole {
    @TempDir
    Path base;
    private String before;

    @BeforeEach
    void useATemporaryCache() {
        before = System.getProperty("anynas.cache");
        System.setProperty("anynas.cache", base.toString());
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty("anynas.cache");
        else System.setProperty("anynas.cache", before);
    }

    @Test
    void listsTheEntriesAndPrunesThoseUnusedForTheGivenDays() throws Exception {
        Path old = Files.createDirectories(base.resolve("splits/fashion-mnist-0123456789abcdef"));
        Files.write(old.resolve("train.u8"), new byte[2048]);
        Files.writeString(old.resolve("meta.json"), "{}");
        Files.setLastModifiedTime(old.resolve("meta.json"), FileTime.from(Instant.now().minus(Duration.ofDays(45))));
        Path recent = Files.createDirectories(base.resolve("images/photos-456789abcdef01234567"));
        Files.writeString(recent.resolve("meta.json"), "{}");

        assertThat(Main.run("cache", "list")).isZero();
        String listed = out.toString(StandardCharsets.UTF_8);
        assertThat(listed).contains("splits").contains("images").contains(old.toString()).contains("2 entries");
        assertThat(listed.indexOf(old.toString())).as("least recently used first").isLessThan(listed.indexOf(recent.toString()));

        out.reset();
        assertThat(Main.run("cache", "prune", "--older-than", "30")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("removed splits").contains("1 entries removed");
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void aNegativeAgeIsOneClearErrorAndRemovesNothing() throws Exception {
        Path entry = Files.createDirectories(base.resolve("images/photos-89abcdef0123456789ab"));
        Files.writeString(entry.resolve("meta.json"), "{}");
        assertThat(Main.run("cache", "prune", "--older-than", "-1")).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(e.lines().count()).isEqualTo(1);
        assertThat(e).startsWith("error: ").contains("--older-than").doesNotContain("Exception");
        assertThat(entry).exists();
    }
}
