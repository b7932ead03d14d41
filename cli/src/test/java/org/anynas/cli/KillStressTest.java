package org.anynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 stress test, run by {@code bench/durability-stress.sh N}: {@code -Danynas.stress.kills=N} and
 * {@code -Danynas.stress.record=FILE} set the kills and where the record goes. Not in {@code mvn verify} yet: 1 run
 * in 5 of its 3-kill form failed on an idle machine on 2026-11-26 (the known liveness gap around H2's file lock
 * after a kill, see bench/results/durability-2026-11-26.md), and a flaky test must not gate the build;
 * ResumeAfterKillTest keeps the kill -9 check in the build.
 */
class KillStressTest {

    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "anynas.stress.kills", matches = "\\d+",
            disabledReason = "the stress test runs with -Danynas.stress.kills=N (bench/durability-stress.sh)")
    void nothingSeenCommittedIsLostWhenTheSearchIsKilled(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("anynas.stress.kills");
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
