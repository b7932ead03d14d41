package org.anynas.cli;

/**
 * Commands that modules outside the product add to {@code ./nas} (the benchmarks: {@code ./nas bench}), found with
 * {@link java.util.ServiceLoader} on the class path ({@code META-INF/services/org.anynas.cli.CommandPlugin}), so the
 * product jar holds none of their code. The public classes of this package that such commands use are {@link Main},
 * {@link CommandGroup}, {@link CommonOptions}, {@link Logging}, {@link StopSignal}, {@link SlotBars}, {@link SeedRuns} and
 * {@link TrainCommand}.
 */
public interface CommandPlugin {
    /** A picocli command object (annotated with {@code @Command}), added as a subcommand of {@code nas}. */
    Object command();
}
