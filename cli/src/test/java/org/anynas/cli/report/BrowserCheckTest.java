package org.anynas.cli.report;

import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real browser opens a report from disk: no broken image, no console message. Runs only where chromium is installed. */
class BrowserCheckTest {
    private static final Path SCRIPT = Path.of("../.ci/browser-check.sh").toAbsolutePath().normalize();

    @Test
    void chromiumShowsEveryImageAndLogsNothing_andTheCheckFailsOnAMissingFigure(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("chromium"), "chromium is not installed (apt-get install chromium)");
        Path db = dir.resolve("db");
        try (ResultsStore store = ResultsStore.open(db)) {
            SyntheticCampaign.write(store, "evo", 80, 1);
            SyntheticCampaign.write(store, "rnd", 40, 2);
        }
        Path report;
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            report = Report.write(Snapshot.read(store, List.of()), dir.resolve("report"), 5, Graphviz.find()).getParent();
        }
        String[] ok = check(report);
        assertThat(ok[0]).as(ok[1]).isEqualTo("0");
        assertThat(ok[1]).containsPattern("images=\\d\\d+ broken=0");

        Files.delete(report.resolve("figures/status.png"));
        String[] broken = check(report);
        assertThat(broken[0]).isEqualTo("1");
        assertThat(broken[1]).contains("broken=1 figures/status.png");
    }

    private static String[] check(Path report) throws Exception {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), report.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new String[]{String.valueOf(p.exitValue()), out};
    }

    private static boolean onPath(String program) {
        return Optional.ofNullable(System.getenv("PATH")).stream().flatMap(p -> List.of(p.split(File.pathSeparator)).stream())
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
