package org.anynas.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.anynas.trainer.TrainingProgress;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Live progress on a terminal: one bar per training slot (epoch, batch, data loss, img/s), kept below the lines
 * of finished candidates. The bars are progressbar's (rendering, rate, ETA); this class owns the bottom of the
 * screen, because progressbar's own multi-bar console moves bars by cursor offsets that any other line printed
 * meanwhile would break: before a finished line is printed the bars are erased, and they are drawn again below it.
 */
public final class SlotBars implements TrainingProgress.Listener, AutoCloseable {
    private final PrintStream out;
    private final Map<Thread, ProgressBar> bars = new HashMap<>();
    private final Map<Thread, Integer> slots = new HashMap<>();
    private final Map<Integer, String> shown = new java.util.TreeMap<>(); // slot → its bar as last rendered, in slot order
    private int drawn; // bar lines on the screen, directly above the cursor

    private SlotBars(PrintStream out) {
        this.out = out;
    }

    /** Bars on {@code out}, fed by the DL4J trainers of this process until {@link #close}. */
    static SlotBars start(PrintStream out) {
        SlotBars b = new SlotBars(out);
        TrainingProgress.listen(b);
        return b;
    }

    /** Whether stdout is a terminal: only then are bars (and their control characters) written. */
    public static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void step(TrainingProgress.Step s) {
        Thread t = Thread.currentThread();
        ProgressBar bar;
        ProgressBar previous = null;
        synchronized (this) {
            bar = bars.get(t);
            long at = (long) (s.epoch() - 1) * s.batches() + s.batch();
            // a new candidate (or leg) on this slot: no bar yet, or one that would have to go backwards or resize
            // (a worker's events are thinned out, so its first batch is not always among them)
            if (bar == null || at < bar.getCurrent() || bar.getMax() != (long) s.epochs() * s.batches()) {
                previous = bar;
                int slot = slots.computeIfAbsent(t, k -> slots.size() + 1);
                bar = new ProgressBarBuilder().setTaskName("slot " + slot).setInitialMax((long) s.epochs() * s.batches())
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).hideEta()
                        .setConsumer(new Slot(slot)).clearDisplayOnFinish().build();
                bars.put(t, bar);
            }
        }
        // closing waits for the bar's last refresh, which takes this object's lock: never close while holding it
        if (previous != null) previous.close();
        bar.stepTo((long) (s.epoch() - 1) * s.batches() + s.batch());
        bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.3f %.0f img/s", s.epoch(), s.epochs(),
                s.batch(), s.batches(), s.loss(), s.imagesPerSecond()));
        if (s.last()) {
            synchronized (this) {
                bars.remove(t);
            }
            bar.close();
        }
    }

    /** Prints a finished line above the bars. */
    synchronized void line(String text) {
        erase();
        out.println(text);
        draw();
    }

    @Override
    public void close() {
        TrainingProgress.listen(null);
        java.util.List<ProgressBar> open;
        synchronized (this) {
            open = java.util.List.copyOf(bars.values());
            bars.clear();
        }
        open.forEach(ProgressBar::close);
        synchronized (this) {
            erase();
            shown.clear();
            out.flush();
        }
    }

    private void erase() {
        if (drawn > 0) out.print("\r\033[" + drawn + "A\033[J"); // up to the first bar, clear to the end of the screen
        drawn = 0;
    }

    private void draw() {
        for (String bar : shown.values()) out.println(bar);
        drawn = shown.size();
        out.flush();
    }

    private synchronized void show(int slot, String rendered) {
        erase();
        shown.put(slot, rendered.replace("\r", ""));
        draw();
    }

    private synchronized void hide(int slot) {
        erase();
        shown.remove(slot);
        draw();
    }

    /** One bar's output: handed to the board instead of written where the cursor happens to be. */
    private final class Slot extends ConsoleProgressBarConsumer {
        private final int slot;

        Slot(int slot) {
            super(out);
            this.slot = slot;
        }

        @Override
        public void accept(String rendered) {
            // clearDisplayOnFinish sends a blank line when the bar closes; the board removes it on close instead
            if (!rendered.isBlank()) show(slot, rendered);
        }

        @Override
        public void close() {
            hide(slot);
        }
    }
}
