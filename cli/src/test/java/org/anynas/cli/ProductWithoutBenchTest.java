package org.anynas.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The product (this module and what it depends on) holds no benchmark code: the benchmarks depend on the CLI and add
 * {@code ./nas bench} as a {@link CommandPlugin}, so on the CLI's own class path there is neither their classes nor
 * the command.
 */
class ProductWithoutBenchTest {

    @Test
    void theCliNeitherHoldsNorOffersTheBenchmarks() {
        assertThatThrownBy(() -> Class.forName("org.anynas.bench.cli.BenchCommand")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.anynas.bench.MarkdownReport")).isInstanceOf(ClassNotFoundException.class);
        assertThat(Main.commandLine().getSubcommands()).containsKeys("search", "train", "report").doesNotContainKey("bench");
    }
}
