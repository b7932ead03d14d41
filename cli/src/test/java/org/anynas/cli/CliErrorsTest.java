package org.anynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input: one clear line, exit code 2, no stack trace, nothing created. */
class CliErrorsTest extends CapturedConsole {

    private String errorLine() {
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(s.lines().count()).as(s).isEqualTo(1);
        assertThat(s).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
        return s;
    }

    @Test
    void dbTopOnAMissingDatabaseIsAnErrorAndCreatesNothing(@TempDir Path dir) {
        Path db = dir.resolve("nothing-here");
        assertThat(Main.run("db", "top", "--db", db.toString())).isEqualTo(2);
        assertThat(errorLine()).contains("no results database").contains("nothing-here.mv.db");
        assertThat(dir.resolve("nothing-here.mv.db")).doesNotExist();
    }

    @Test
    void campaignFileWithAnUnknownKeyNamesTheKey(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "name: test\npopulaton: 8\n");
        assertThat(Main.run("search", yaml.toString())).isEqualTo(2);
        assertThat(errorLine()).contains("c.yaml").contains("populaton");
    }

    @Test
    void campaignFileWithAnOutOfRangeValueNamesTheKey(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "name: test\nfidelity:\n  epochs: 0\n");
        assertThat(Main.run("search", yaml.toString())).isEqualTo(2);
        assertThat(errorLine()).contains("fidelity.epochs");
        Files.writeString(yaml, "name: test\npopulation: many\n");
        assertThat(Main.run("search", yaml.toString())).isEqualTo(2);
    }

    @Test
    void anEmptyCampaignFileIsRefusedAndSaysHowToAskForTheDefaults(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("empty.yaml");
        for (String text : new String[]{"", "\n  \n", "# nothing yet\n", "{}\n"}) {
            Files.writeString(yaml, text);
            err.reset();
            assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
            assertThat(errorLine()).isEqualTo("error: " + yaml + " is empty; a file with just `name: x` runs a campaign with every default");
        }
    }

    @Test
    void aSpaceOrBudgetWithNoNetworkForTheDatasetsInputIsRefusedUpFrontAndStoresNothing(@TempDir Path dir) throws Exception {
        Path space = dir.resolve("tiny.yaml");
        try (var in = getClass().getResourceAsStream("/spaces/anynet.yaml")) {
            Files.writeString(space, new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("name: anynet", "name: tiny").replace("max_params: 200000", "max_params: 10"));
        }
        Path yaml = dir.resolve("c.yaml");
        String base = "name: t\ndataset: synthetic\nvalidation_size: 500\nfidelity: {epochs: 1, train_size: 400, val_size: 200}\n"
                + "db: \"" + dir.resolve("t") + "\"\n";
        Files.writeString(yaml, base + "space: \"" + space + "\"\n");
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
        assertThat(errorLine()).startsWith("error: design space 'tiny' has no candidate for [1×16×16] inputs: none of 2,000")
                .contains("> max_params 10 (budget of space tiny for [1×16×16] inputs)");
        err.reset();
        Files.writeString(yaml, base + "space: anynet\nbudget: {max_params: 0, max_macs: 1000}\n");
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
        assertThat(errorLine()).contains("MACs").contains("> max_macs 1,000 (campaign budget)");
        assertThat(dir.resolve("t.mv.db")).doesNotExist();
    }

    @Test
    void executorSparkIsRefusedWithOneLineWhereItCannotRun(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        String base = "name: s\ndataset: synthetic\nvalidation_size: 500\nfidelity: {epochs: 3, train_size: 400, val_size: 200}\nspace: chain\nexecutor: spark\ndb: \"" + dir.resolve("s") + "\"\n";
        Files.writeString(yaml, base + "in_flight: 4\n");
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
        assertThat(errorLine()).contains("executor: spark needs the anynas-spark jar launched by spark-submit")
                .contains("--class org.anynas.spark.SparkMain");
        err.reset();
        Files.writeString(yaml, base);
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
        assertThat(errorLine()).contains("executor: spark needs in_flight set");
        err.reset();
        Files.writeString(yaml, base + "in_flight: 4\nmulti_fidelity: {min_epochs: 1}\n");
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
        assertThat(errorLine()).contains("executor: spark does not run multi_fidelity");
        err.reset();
        Files.writeString(yaml, base.replace("executor: spark", "executor: yarn"));
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2);
        assertThat(errorLine()).contains("executor must be local or spark, got 'yarn'");
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreOneLine() {
        assertThat(Main.run("search")).isEqualTo(2);
        assertThat(errorLine()).contains("--resume");
        err.reset();
        assertThat(Main.run("db", "top", "--frobnicate")).isEqualTo(2);
        assertThat(errorLine()).contains("--frobnicate");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(Main.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("quickstart").contains("search").contains("db");
    }
}
