package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Budget;
import org.anynas.space.Fidelity;
import org.anynas.space.Genome;
import org.anynas.space.Sampler;
import org.anynas.space.UserInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;

/**
 * Scores a run's proposals, each exactly once, by the first of these steps that answers: replay (an interrupted
 * run stored it), budget (over it: never trained), cache (an earlier score), twin (the same network in flight),
 * train (on the pool); then commit: the visit is stored as soon as it is scored, whatever the order of completion.
 *
 * <p>Only the search thread touches the {@link SearchLog}: slots hand their results over, and {@link #join} commits
 * them while the search waits. (An H2 write on a thread that is interrupted, a pool closing with
 * {@code shutdownNow}, closes the whole database.)
 */
final class Scorer {
    private final Genome layout;
    private final Sampler sampler;
    private final Budget budget;
    private final Fidelity fidelity;
    private final EvaluationPool pool;
    private final SearchLog log;
    private final SearchListener listener;
    private final LadderPolicy ladder;
    private final int maxEvaluations;
    private final Map<String, CompletableFuture<Visit>> training = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Runnable> finished = new LinkedBlockingQueue<>(); // results to commit on the search thread
    private int reported;
    private boolean rejectionShown;

    Scorer(Genome layout, Sampler sampler, Budget budget, Fidelity fidelity, EvaluationPool pool, SearchLog log,
           SearchListener listener, LadderPolicy ladder, int maxEvaluations) {
        this.layout = layout;
        this.sampler = sampler;
        this.budget = budget.and(layout.budget());
        this.fidelity = fidelity;
        this.pool = pool;
        this.log = log;
        this.listener = listener;
        this.ladder = ladder;
        this.maxEvaluations = maxEvaluations;
    }

    /** Candidate {@code seq}: replay, budget, cache, twin or train, then committed. */
    CompletableFuture<Visit> score(int seq, Proposal p) {
        if (!rejectionShown && sampler.firstRejection() != null) { // once per campaign: later rejections are only counted
            rejectionShown = true;
            listener.rejection(sampler.firstRejection());
        }
        // replay: what an interrupted run of this campaign stored under seq, if it is what is proposed now
        var stored = log.replay(seq);
        if (stored.isPresent()) return CompletableFuture.completedFuture(reported(checkReplay(stored.get(), p)));
        int epochs = ladder.epochs(p.rung());
        Architecture arch = layout.decode(p.genes());
        String hash = ArchitectureJson.hash(arch);
        String violation = budget.violation(arch.graph());
        if (violation != null) {
            // budget: the proposers sample within budget; reaching this means a bug, and it must still not train
            return CompletableFuture.completedFuture(record(seq, p, arch, hash, EvaluationResult.failed(Status.INVALID,
                    "over budget: " + violation, List.of(), 0, arch.graph().params(), arch.graph().macs(), "none"), false, epochs, 0));
        }
        // cache: an earlier score of this network after as many epochs
        var cached = log.cached(hash, fidelity, epochs);
        if (cached.isPresent()) return CompletableFuture.completedFuture(record(seq, p, arch, hash, cached.get(), true, epochs, 0));
        // twin: trained once, the repeat takes its twin's result, unless that is not reusable
        CompletableFuture<Visit> twin = training.get(hash + "@" + epochs);
        if (twin != null && !twin.isDone()) {
            return onSearchThread(twin, (t, e) -> log.cached(hash, fidelity, epochs)).thenCompose(c -> c.isPresent()
                    ? CompletableFuture.completedFuture(record(seq, p, arch, hash, c.get(), true, epochs, 0))
                    : train(seq, p, arch, hash, epochs));
        }
        return train(seq, p, arch, hash, epochs);
    }

    /** Waits for {@code f}, committing every result that arrives meanwhile (in the order the slots finish). */
    Visit join(CompletableFuture<Visit> f) {
        try {
            while (!f.isDone()) finished.take().run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a candidate", e);
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Commits the results already handed over, without waiting for more (the run failed: what had ended is kept). */
    void commitFinished() {
        for (Runnable r; (r = finished.poll()) != null; ) r.run();
    }

    /** Train: on the pool, the leg the ladder gives it; committed on the search thread. */
    private CompletableFuture<Visit> train(int seq, Proposal p, Architecture arch, String hash, int epochs) {
        TrainingLeg leg = ladder.leg(p, hash, epochs, fidelity);
        log.training(seq, arch, hash, p.rung(), epochs, leg.fromEpoch());
        CompletableFuture<Visit> f = onSearchThread(pool.submit(arch, fidelity, leg), (r, e) -> {
            if (e != null) throw e instanceof CompletionException c ? c : new CompletionException(e);
            return record(seq, p, arch, hash, continuous(r, leg, p.from()), false, epochs, leg.epochs());
        });
        training.put(hash + "@" + epochs, f);
        return f;
    }

    /** A continued leg's curves joined to those of the rungs below, so each rung's learning curve starts at epoch 1. */
    private static EvaluationResult continuous(EvaluationResult r, TrainingLeg leg, Visit from) {
        if (leg.fromEpoch() == 0 || from == null) return r;
        List<Double> loss = new ArrayList<>(from.result().trainLoss());
        loss.addAll(r.trainLoss());
        List<Double> acc = new ArrayList<>(from.result().valAccuracyCurve());
        acc.addAll(r.valAccuracyCurve());
        return new EvaluationResult(r.status(), r.message(), r.valAccuracy(), r.valLoss(), loss, r.ok() ? acc : List.of(),
                r.trainSeconds(), r.trainImagesPerSec(), r.latencyMs(), r.inferencePerSec(), r.params(), r.macs(), r.device());
    }

    /** {@code then} applied to the outcome of {@code source} on the search thread, once a {@link #join} gets to it. */
    private <T, R> CompletableFuture<R> onSearchThread(CompletableFuture<T> source, BiFunction<? super T, Throwable, ? extends R> then) {
        CompletableFuture<R> f = new CompletableFuture<>();
        source.whenComplete((t, e) -> finished.add(() -> {
            try {
                f.complete(then.apply(t, e));
            } catch (Throwable x) {
                f.completeExceptionally(x);
            }
        }));
        return f;
    }

    /** Commit: the visit stored, then reported. */
    private synchronized Visit record(int seq, Proposal p, Architecture arch, String hash, EvaluationResult result, boolean cached,
                                      int epochs, int trainedEpochs) {
        Visit visit = new Visit(0, seq, p.generation(), p.origin(), p.parents(), p.genes(), arch, hash, result, cached, false,
                p.rung(), epochs, trainedEpochs);
        return reported(visit.withId(log.record(visit, fidelity)));
    }

    private synchronized Visit reported(Visit v) {
        listener.visited(v, ++reported, maxEvaluations);
        return v;
    }

    /**
     * A stored candidate must be what the search proposes again; when not, the search code changed since the campaign
     * started (its settings are stored with it), e.g. an older AnyNAS whose evolution ran in generations. Found while
     * replaying, so before anything new trains: the campaign is refused, its stored results stay as they are.
     * Epochs are compared, not rung numbers: a score reused from another campaign carries that campaign's rung.
     */
    private Visit checkReplay(Visit stored, Proposal p) {
        int epochs = ladder.epochs(p.rung());
        if (!Arrays.equals(stored.genes(), p.genes()) || stored.epochs() != epochs) {
            throw new UserInputException("cannot resume: this AnyNAS proposes candidate " + stored.seq()
                    + " differently from the run that stored it (stored " + ArchitectureCodec.text(stored.genes()) + " after "
                    + stored.epochs() + " epochs, now " + ArchitectureCodec.text(p.genes()) + " after " + epochs + "), so the "
                    + "search code changed since the campaign started; its results stay queryable, and a new campaign with "
                    + "cache: true reuses their scores");
        }
        return stored.rung() == p.rung() ? stored : new Visit(stored.candidateId(), stored.seq(), stored.generation(),
                stored.origin(), stored.parents(), stored.genes(), stored.architecture(), stored.hash(), stored.result(),
                stored.cached(), true, p.rung(), epochs, 0);
    }
}
