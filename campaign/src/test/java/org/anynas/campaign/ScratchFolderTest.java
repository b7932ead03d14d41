package org.anynas.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchFolderTest {

    /** A process that has ended, so its PID names a run stopped hard. */
    private static long endedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void theNextRunRemovesTheFoldersOfEndedRunsAndKeepsThoseOfLiveOnes(@TempDir Path runs) throws Exception {
        Path stopped = Files.createDirectories(runs.resolve("final-" + endedPid() + "-123"));
        Files.write(stopped.resolve("model.pt"), new byte[0]);
        Files.write(stopped.resolve("model.npz"), new byte[0]);
        // a run beside this one: a live process (this one) owns it
        Path beside = Files.createDirectories(runs.resolve("final-" + ProcessHandle.current().pid() + "-456"));
        Files.write(beside.resolve("model.pt"), new byte[]{1});
        Path log = Files.writeString(runs.resolve("train.log"), "kept");
        Path other = Files.createDirectories(runs.resolve("final-notapid"));

        try (ScratchFolder own = ScratchFolder.create(runs)) {
            assertThat(stopped).doesNotExist();
            assertThat(beside.resolve("model.pt")).exists();
            assertThat(log).hasContent("kept");
            assertThat(other).isDirectory();
            assertThat(own.path().getParent()).isEqualTo(runs);
            assertThat(own.path().getFileName().toString()).startsWith("final-" + ProcessHandle.current().pid() + "-");
            Files.write(own.path().resolve("model.pt"), new byte[]{1});
        }
        try (var left = Files.list(runs)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("train.log", "final-notapid", beside.getFileName().toString());
        }
    }
}
