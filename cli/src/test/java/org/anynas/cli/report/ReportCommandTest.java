package org.anynas.cli.report;

import org.anynas.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ./nas report over a small real campaign (DL4J training on the synthetic dataset), as a user runs it. */
class ReportCommandTest {

    @Test
    void aRealCampaignEndsWithTheReportCommandAndTheReportShowsItsSevenSections(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/small");
        Path yaml = dir.resolve("small.yaml");
        Files.writeString(yaml, """
                name: small
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: evolution
                population: 3
                tournament: 2
                budget: {max_params: 20000, max_macs: 1000000}
                stop: {max_evaluations: 5}
                fidelity: {epochs: 2, train_size: 100, val_size: 100, batch_size: 50}
                db: "%s"
                """.formatted(db));
        String[] search = run("search", yaml.toString(), "--quiet");
        assertThat(search[0]).contains("./nas report --db " + db + ".mv.db --campaign small").doesNotContain("\u001b");

        String[] report = run("report", "--db", db.toString());
        assertThat(report[1]).isEmpty();
        Path folder = dir.resolve("runs/small-report");
        assertThat(report[0]).startsWith("Report of 5 candidates written in ").endsWith(folder.resolve("index.html") + "\n");
        assertThat(ReportFolder.check(folder)).hasSizeGreaterThanOrEqualTo(9);
        String html = Files.readString(folder.resolve("index.html"));
        assertThat(html).contains("Campaign small").contains("synthetic").contains("evaluator " + org.anynas.trainer.Trainer.EVALUATOR_VERSION);

        String[] bad = run("report", "--db", db.toString(), "--campaign", "nope", "--out", dir.resolve("r2").toString());
        assertThat(bad[1]).isEqualTo("error: no campaign 'nope' in " + db + ".mv.db; it has: small\n");
        assertThat(dir.resolve("r2")).doesNotExist();
        String[] notAFolder = run("report", "--db", db.toString(), "--out", yaml.toString());
        assertThat(notAFolder[1]).startsWith("error: ").contains("is a file").hasLineCount(1);
    }

    /** Runs a command in this process; returns [stdout, stderr] and checks the exit code against them. */
    private static String[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(e).isEqualTo(e.isEmpty() ? 0 : 2);
        return new String[]{out.toString(StandardCharsets.UTF_8), e};
    }
}
