package org.anynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 stress test: its short form (3 kills) runs in {@code mvn verify}, the long form from
 * {@code bench/durability-stress.sh N}, where {@code -Danynas.stress.kills=N} and {@code -Danynas.stress.record=FILE}
 * set the kills and where the record goes.
 */
class KillStressTest {

    @Test
    void nothingSeenCommittedIsLostWhenTheSearchIsKilled(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("anynas.stress.kills", 3);
        long seed = Long.getLong("anynas.stress.seed", System.nanoTime());
        KillStress.Report r = KillStress.of(dir, kills, seed).run();
        String record = System.getProperty("anynas.stress.record");
        if (record != null) {
            Files.writeString(Path.of(record), KillStress.markdown(r, java.time.LocalDate.now().toString(),
                    Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                            + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version")));
        }
        assertThat(r.lost()).as("seed " + seed).isEmpty();
        assertThat(r.problems()).as("seed " + seed).isEmpty();
    }
}
