package org.anynas.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a campaign. SIGINT normally starts JVM shutdown, whose hooks (H2's among them) close the
 * database while the search is still running; instead the first Ctrl-C only asks the search to stop, so the
 * candidate in flight is recorded as interrupted and the report printed before the process exits with 130.
 * A second Ctrl-C exits at once (the database stays consistent: every write is a committed transaction).
 */
@SuppressWarnings("sunapi")
public final class StopSignal {
    private static final Signal INT = new Signal("INT");
    private final AtomicBoolean requested = new AtomicBoolean();
    private final SignalHandler previous;

    private StopSignal(String notice) {
        previous = Signal.handle(INT, sig -> {
            if (requested.getAndSet(true)) {
                Runtime.getRuntime().halt(130);
            }
            System.err.println("\n" + notice + " (Ctrl-C again to quit now)...");
        });
    }

    public static StopSignal install() {
        return install("Stopping: recording the candidate in flight as interrupted");
    }

    /** {@code notice} tells the user what stopping will do. */
    public static StopSignal install(String notice) {
        return new StopSignal(notice);
    }

    public boolean requested() {
        return requested.get();
    }

    /** The campaign has finished or stopped; Ctrl-C behaves normally again. */
    public void release() {
        Signal.handle(INT, previous);
    }
}
