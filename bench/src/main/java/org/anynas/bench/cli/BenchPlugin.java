package org.anynas.bench.cli;

import org.anynas.cli.CommandPlugin;

/** Adds {@code ./nas bench} to the command line when this module is on the class path (the checkout's ./nas puts it there). */
public final class BenchPlugin implements CommandPlugin {
    @Override
    public Object command() {
        return new BenchCommand();
    }
}
