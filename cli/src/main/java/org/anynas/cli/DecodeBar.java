package org.anynas.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.anynas.data.folder.Progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The first decoding of an image folder on the console: a live bar on a terminal, else one line before and one
 * after (logs and CI output stay readable); nothing with --quiet.
 */
final class DecodeBar implements Progress {
    private final PrintStream out;
    private final boolean live;
    private ProgressBar bar;
    private long total;
    private long started;

    private DecodeBar(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    static Progress forStdout(boolean quiet) {
        return quiet ? Progress.NONE : new DecodeBar(System.out, SlotBars.terminal());
    }

    @Override
    public synchronized void start(long total) {
        this.total = total;
        started = System.nanoTime();
        if (live) {
            bar = new ProgressBarBuilder().setTaskName("decoding images").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(out)).setUnit(" img", 1).build();
        } else {
            out.printf(Locale.ROOT, "decoding %,d images into the cache (once; later runs reuse it)...%n", total);
        }
    }

    @Override
    public synchronized void advance(long n) {
        if (bar != null) bar.stepBy(n);
    }

    @Override
    public synchronized void done() {
        if (bar != null) bar.close();
        double s = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "decoded %,d images in %.1f s (%,.0f images/s)%n", total, s, total / Math.max(s, 1e-9));
    }
}
