package org.anynas.cli;

import picocli.CommandLine.Option;

/** Output options shared by the commands that run training. */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Also show library logs (DL4J, ND4J, H2) on stderr.")
    public boolean verbose;

    @Option(names = "--quiet", description = "No progress output; only results and errors.")
    public boolean quiet;
}
