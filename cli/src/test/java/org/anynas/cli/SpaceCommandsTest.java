package org.anynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SpaceCommandsTest extends CapturedConsole {

    private String run(int expectedExit, String... args) {
        out.reset();
        err.reset();
        assertThat(Main.run(args)).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedExit);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void describeListsGenesSizeAndBudgets() {
        String s = run(0, "space", "describe", "multibranch");
        assertThat(s).contains("Design space multibranch").contains("about 10^").contains("inception")
                .contains("budget: max params 300,000");
    }

    @Test
    void sampleIsSeededAndItsJsonFeedsArchSummaryAndDot(@TempDir Path dir) throws Exception {
        String a = run(0, "space", "sample", "anynet", "-n", "3", "--seed", "4");
        assertThat(run(0, "space", "sample", "anynet", "-n", "3", "--seed", "4")).isEqualTo(a);
        assertThat(run(0, "space", "sample", "anynet", "-n", "3", "--seed", "5")).isNotEqualTo(a);
        assertThat(a.lines().filter(l -> l.startsWith("# ") && l.contains("params")).count()).isEqualTo(3);

        String one = run(0, "space", "sample", "chain", "-n", "1", "--input", "3x32x32");
        String json = one.substring(one.indexOf('{'), one.lastIndexOf('}') + 1);
        Path file = dir.resolve("a.json");
        Files.writeString(file, json);
        String summary = run(0, "arch", "summary", file.toString());
        assertThat(summary).contains("[3×32×32]").contains("trainable parameters").contains("classifier");
        assertThat(run(0, "arch", "dot", file.toString())).startsWith("digraph").contains("\"stem_conv\" -> \"stem_bn\"");
        assertThat(run(0, "arch", "graph", file.toString())).contains("\"format\" : \"anynas-op-graph\"").contains("\"name\" : \"classifier\"");
    }

    @Test
    void badFilesGiveOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        run(2, "arch", "summary", dir.resolve("missing.json").toString());
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: architecture file").contains("does not exist");
        Path space = dir.resolve("space.yaml");
        Files.writeString(space, "name: mine\nmin_stages: 1\nmax_stages: 9\n");
        run(2, "space", "describe", space.toString());
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: " + space).doesNotContain("\n");
    }
}
