package org.anynas.trainer;

/**
 * Batch-by-batch progress of the trainers (DL4J's steps, PyTorch workers' events), for a live display. One
 * listener per process (the command line's terminal display): the search engine starts trainers on its slot
 * threads and needs no plumbing for it, and the listener tells slots apart by the calling thread. Without a listener a step costs one volatile read.
 */
public final class TrainingProgress {
    private TrainingProgress() {
    }

    /** After one training batch: where the candidate is, its data loss on the batch and its speed this epoch. */
    public record Step(int epoch, int epochs, int batch, int batches, double loss, double imagesPerSecond) {
        public boolean last() {
            return epoch == epochs && batch == batches;
        }
    }

    @FunctionalInterface
    public interface Listener {
        void step(Step step);
    }

    private static volatile Listener listener;

    /** Sets the process's listener (null: none). */
    public static void listen(Listener l) {
        listener = l;
    }

    /** Whether a listener is set: a trainer that must ask for progress (a PyTorch worker) asks only then. */
    public static boolean listening() {
        return listener != null;
    }

    /** A step measured elsewhere (a PyTorch worker's event), reported on the slot's thread. */
    public static void report(Step step) {
        Listener l = listener;
        if (l != null) l.step(step);
    }

    public static void report(int epoch, int epochs, int batch, int batches, double loss, long images, long sinceNanos) {
        Listener l = listener;
        if (l == null) return;
        double seconds = (System.nanoTime() - sinceNanos) / 1e9;
        l.step(new Step(epoch, epochs, batch, batches, loss, seconds > 0 ? images / seconds : Double.NaN));
    }
}
