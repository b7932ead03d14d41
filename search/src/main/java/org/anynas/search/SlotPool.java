package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EvaluationPool} over trainers, one per slot: a submitted candidate waits (in submission order)
 * for a free slot and trains on that slot's trainer. The same trainer may fill several slots when it is
 * thread-safe (the DL4J trainer); a PyTorch slot is its own worker process.
 */
public final class SlotPool implements EvaluationPool {
    private final List<? extends Trainer> trainers;
    private final BlockingQueue<Trainer> free;
    private final ExecutorService threads;
    private final Runnable onClose;
    private final AtomicLong busyNanos = new AtomicLong();
    private volatile long firstSubmit;

    private SlotPool(List<? extends Trainer> trainers, Runnable onClose) {
        if (trainers.isEmpty()) throw new IllegalArgumentException("a pool needs at least one slot");
        this.trainers = List.copyOf(trainers);
        this.free = new LinkedBlockingQueue<>(trainers);
        this.onClose = onClose;
        this.threads = Executors.newFixedThreadPool(trainers.size(), r -> {
            Thread t = new Thread(r, "anynas-slot");
            t.setDaemon(true);
            return t;
        });
    }

    /** One slot per trainer; {@code onClose} releases what they hold (e.g. worker processes). */
    public static SlotPool of(List<? extends Trainer> trainers, Runnable onClose) {
        return new SlotPool(trainers, onClose);
    }

    /** {@code slots} slots sharing one thread-safe trainer. */
    public static SlotPool shared(Trainer trainer, int slots) {
        return new SlotPool(java.util.Collections.nCopies(slots, trainer), () -> { });
    }

    @Override
    public CompletableFuture<EvaluationResult> submit(Architecture architecture, Fidelity fidelity, TrainingLeg leg) {
        if (firstSubmit == 0) firstSubmit = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            Trainer slot;
            try {
                slot = free.take(); // a thread of this pool always finds one: threads == slots
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a slot", e);
            }
            long t0 = System.nanoTime();
            try {
                return slot.evaluate(architecture, fidelity, leg);
            } finally {
                busyNanos.addAndGet(System.nanoTime() - t0);
                free.add(slot);
            }
        }, threads);
    }

    @Override
    public int slots() {
        return trainers.size();
    }

    @Override
    public String trainerIdentity() {
        return trainers.get(0).identity();
    }

    @Override
    public double utilisation() {
        long start = firstSubmit;
        if (start == 0) return Double.NaN;
        double total = (double) (System.nanoTime() - start) * trainers.size();
        return Math.min(1.0, busyNanos.get() / total);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        onClose.run();
    }
}
