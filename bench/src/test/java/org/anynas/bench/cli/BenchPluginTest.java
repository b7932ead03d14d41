package org.anynas.bench.cli;

import org.anynas.cli.Main;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With this module on the class path, {@code ./nas} offers {@code bench} and its subcommands (found by ServiceLoader). */
class BenchPluginTest {

    @Test
    void theBenchCommandIsAddedToTheCommandLine() {
        var bench = Main.commandLine().getSubcommands().get("bench");
        assertThat(bench).isNotNull();
        assertThat(bench.getSubcommands()).containsKeys("throughput", "search", "overhead", "folder", "final");
    }
}
