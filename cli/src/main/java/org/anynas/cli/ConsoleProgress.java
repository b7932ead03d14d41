package org.anynas.cli;

import org.anynas.search.GenerationStats;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;
import org.anynas.space.GraphTable;

import java.io.PrintStream;
import java.util.Locale;

/** One line per candidate (with ETA) and per generation, on stdout, live slot bars on a terminal; nothing with --quiet. */
final class ConsoleProgress implements SearchListener {
    private final PrintStream out;
    private final boolean quiet;
    private final SlotBars bars; // null: no live bars (not a terminal, or quiet)
    private long start;
    private boolean ladder;

    ConsoleProgress(PrintStream out, boolean quiet) {
        this(out, quiet, null);
    }

    private ConsoleProgress(PrintStream out, boolean quiet, SlotBars bars) {
        this.out = out;
        this.quiet = quiet;
        this.bars = bars;
    }

    /** Finished lines on stdout, with a live bar per training slot below them when stdout is a terminal. */
    static ConsoleProgress forStdout(boolean quiet) {
        return new ConsoleProgress(System.out, quiet, !quiet && SlotBars.terminal() ? SlotBars.start(System.out) : null);
    }

    /** Takes the bars off the screen; call when the search has ended. */
    void finish() {
        if (bars != null) bars.close();
    }

    private void println(String line) {
        if (bars != null) {
            bars.line(line);
        } else {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void started(int maxEvaluations) {
        start = System.nanoTime();
    }

    @Override
    public void ladder(org.anynas.search.Ladder ladder) {
        this.ladder = ladder.enabled();
    }

    @Override
    public org.anynas.data.folder.Progress decoding() {
        return DecodeBar.forStdout(quiet);
    }

    @Override
    public void dataset(String description) {
        if (quiet) return;
        println(description);
    }

    @Override
    public void backend(String description) {
        if (quiet) return;
        println(description);
    }

    @Override
    public void rejection(String reason) {
        if (quiet) return;
        println("note: invalid or over-budget networks are redrawn before training; the first: " + reason);
    }

    @Override
    public void visited(Visit v, int done, int max) {
        if (quiet) return;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double perCandidate = done == 0 ? 0 : elapsed / done;
        String how = v.replayed() ? "stored " : v.cached() ? "cached " : "trained";
        String score = v.result().ok() ? String.format(Locale.ROOT, "%.4f", v.result().valAccuracy())
                : v.result().status().key();
        int width = String.valueOf(max).length();
        String rung = ladder ? String.format(Locale.ROOT, "rung %d %2d ep ", v.rung(), v.epochs()) : "";
        println(String.format(Locale.ROOT, "  %s %" + width + "d/%d  gen %-2d %s%-8s %7s params %7s MACs %6.1fs %s  eta %s  %s",
                bar(done, max), done, max, v.generation(), rung, score, GraphTable.human(v.result().params()), GraphTable.human(v.result().macs()),
                v.result().trainSeconds(), how, duration(perCandidate * (max - done)), v.architecture().oneLine()));
    }

    @Override
    public void generation(GenerationStats s) {
        if (quiet) return;
        println(String.format(Locale.ROOT, "gen %d: %d evaluated (%d cached, %d failed), best %.4f, median %.4f, best %s params / %s MACs, %s elapsed",
                s.generation(), s.evaluated(), s.cached(), s.failed(), s.bestAcc(), s.medianAcc(),
                GraphTable.human(s.bestParams()), GraphTable.human(s.bestMacs()), duration(s.elapsedSeconds())));
    }

    /** {@code [######--------------]}: share of the evaluation budget used. */
    static String bar(int done, int max) {
        int filled = max == 0 ? 0 : (int) Math.round(20.0 * Math.min(done, max) / max);
        return "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "]";
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
