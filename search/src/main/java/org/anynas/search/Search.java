package org.anynas.search;

import io.jenetics.util.RandomRegistry;
import org.anynas.evaluator.EvaluationResult;
import org.anynas.evaluator.Status;
import org.anynas.evaluator.Trainer;
import org.anynas.evaluator.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.Genome;
import org.anynas.space.Sampler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Runs one campaign's search: proposes candidates and consumes their results; the {@link EvaluationPool} trains
 * them on its slots. Each candidate is scored exactly once through the {@link SearchLog} (replay of an
 * interrupted run, then the cache, then the pool) and committed as soon as it is scored.
 *
 * <p>Evolution and random search are steady-state: up to {@code in_flight} candidates train at once, and a
 * slot that finishes gets the next child at once. Determinism: results are consumed in proposal order, and
 * candidate {@code n} is proposed from exactly the results of candidates 1 … n − in_flight, however fast the
 * slots are. The same seed, in_flight and scores give the same candidate sequence on any number of slots,
 * which is also how a resumed campaign replays its stored visits before training new ones.
 *
 * <p>Only the thread that runs the search touches the {@link SearchLog}: slots hand their results over and it
 * commits them while it waits. An H2 write on a thread that is interrupted (a pool closing with
 * {@code shutdownNow}) closes the whole database, so no store access may happen on a slot's thread.
 */
public final class Search {
    public static final double FAILED_FITNESS = -1.0;
    static final int MAX_DRAWS = 100_000;

    private final ArchitectureCodec codec;
    private final Sampler sampler;
    private final SearchSettings settings;
    private final Fidelity fidelity;
    private final EvaluationPool pool;
    private final boolean ownsPool;
    private final SearchLog log;
    private final SearchListener listener;
    private final List<Visit> visits = new ArrayList<>();
    private final Map<String, CompletableFuture<Visit>> training = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Runnable> finished = new LinkedBlockingQueue<>(); // results to commit on the search thread
    private BooleanSupplier stopRequested = () -> false;
    private int reported;
    private boolean rejectionShown;
    private long started;
    private double bestSoFar = Double.NEGATIVE_INFINITY;
    private int steadyBlocks;
    private Ladder ladder;
    private Checkpoints checkpoints;
    private Promotions promotions;
    private final List<Visit> candidates = new ArrayList<>(); // first-rung visits, oldest first
    private final Map<String, Visit> highest = new java.util.HashMap<>(); // each network at its highest known rung

    private Search(Genome layout, SearchSettings settings, Fidelity fidelity, EvaluationPool pool,
                   boolean ownsPool, SearchLog log, SearchListener listener) {
        this.codec = ArchitectureCodec.of(layout);
        this.sampler = Sampler.of(layout, settings.budget());
        this.settings = settings;
        this.fidelity = fidelity;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.log = log;
        this.listener = listener;
        this.ladder = Ladder.none(fidelity.epochs());
    }

    /** A search whose candidates train on {@code pool}'s slots; the caller owns (and closes) the pool. */
    public static Search of(Genome layout, SearchSettings settings, Fidelity fidelity, EvaluationPool pool,
                            SearchLog log, SearchListener listener) {
        return new Search(layout, settings, fidelity, pool, false, log, listener);
    }

    /** A search training on {@code settings.workers()} slots that share one thread-safe trainer. */
    public static Search of(Genome layout, SearchSettings settings, Fidelity fidelity, Trainer trainer,
                            SearchLog log, SearchListener listener) {
        return new Search(layout, settings, fidelity, SlotPool.shared(trainer, settings.workers()), true, log, listener);
    }

    /** A user's stop request (Ctrl-C): the search ends after recording the candidates in flight. */
    public Search withStop(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /**
     * Trains on a fidelity ladder (evolution and random search): candidates start on the first rung, and
     * {@link Promotions} continue the promising ones from their checkpoints in {@code checkpointDir}.
     */
    public Search withLadder(Ladder ladder, java.nio.file.Path checkpointDir) {
        if (ladder.enabled() && settings.strategy() == Strategy.NSGA2) {
            throw new org.anynas.space.UserInputException("multi_fidelity works with strategy evolution or random, not nsga2");
        }
        this.ladder = ladder;
        this.checkpoints = ladder.enabled() ? Checkpoints.in(checkpointDir) : null;
        return this;
    }

    /** Whether the search ended because a stop was requested. */
    public boolean stopped() {
        return stopRequested.getAsBoolean();
    }

    /** Runs to a stop criterion; returns every visit in order. */
    public List<Visit> run() {
        started = System.nanoTime();
        listener.started(settings.stop().maxEvaluations());
        Random random = new Random(settings.seed());
        try {
            RandomRegistry.with(random, r -> {
                if (settings.strategy() == Strategy.NSGA2) {
                    new Nsga2Generations(codec, sampler, settings).run(this::scoreBatch, () -> !admits(visits.size()),
                            g -> generationDone(g, visits.stream().filter(v -> v.generation() == g).toList()));
                } else {
                    runSteadyState(random);
                }
                return null;
            });
        } catch (RuntimeException e) {
            commitFinished(); // the trainings that had ended when the search failed are kept
            throw e;
        } finally {
            if (ownsPool) pool.close();
        }
        return List.copyOf(visits);
    }

    /** The number of candidates in flight at most: the campaign's in_flight, else {@link #inFlightFor} the pool. */
    int inFlight() {
        return settings.inFlight() > 0 ? settings.inFlight() : inFlightFor(pool.slots());
    }

    /**
     * The default in_flight for {@code slots} slots: twice as many, because results are consumed in order: while
     * the search waits for the oldest candidate, the other slots train the queued ones instead of idling (4 slots,
     * candidates of 100–300 ms: 74.5 % busy at in_flight 4, 92.7–96.2 % at 8). One slot needs no queue.
     */
    public static int inFlightFor(int slots) {
        return slots == 1 ? 1 : 2 * slots;
    }

    private void runSteadyState(Random random) {
        RegularizedEvolution evolution = new RegularizedEvolution(settings, codec, sampler);
        promotions = new Promotions(ladder, settings.stop().maxEvaluations());
        int window = inFlight();
        ArrayDeque<CompletableFuture<Visit>> inFlight = new ArrayDeque<>();
        while (true) {
            // consume only what the next proposal may see, in proposal order: results 1 … seq − window
            if (inFlight.size() >= window) consume(join(inFlight.poll()));
            int seq = visits.size() + inFlight.size() + 1;
            if (!admits(seq - 1)) break;
            int generation = (seq - 1) / settings.population() + 1;
            Visit promoted = promotions.next().orElse(null);
            Proposal p = promoted != null ? Proposal.promotion(promoted, generation)
                    : settings.strategy() == Strategy.RANDOM ? Proposal.random(sampler.sample(random, MAX_DRAWS), generation)
                    : evolution.propose(seq, known(), random);
            inFlight.add(score(seq, p));
        }
        while (!inFlight.isEmpty()) consume(join(inFlight.poll()));
        if (checkpoints != null && !stopRequested.getAsBoolean()) checkpoints.deleteAll(); // a stopped run keeps them for resume
        int block = settings.population();
        int last = visits.size() % block;
        if (last > 0) generationDone((visits.size() - 1) / block + 1, visits.subList(visits.size() - last, visits.size()));
    }

    /** Whether the stop criteria admit another candidate after {@code proposed} ones. */
    private boolean admits(int proposed) {
        StopCriteria stop = settings.stop();
        return proposed < stop.maxEvaluations()
                && !(stop.maxMinutes() > 0 && elapsed() > stop.maxMinutes() * 60)
                && !(stop.maxGenerations() > 0 && proposed >= stop.maxGenerations() * settings.population())
                && !(stop.steadyGenerations() > 0 && steadyBlocks >= stop.steadyGenerations())
                && !stopRequested.getAsBoolean();
    }

    /** The candidates, each at its highest known rung, oldest first. */
    private List<Visit> known() {
        return candidates.stream().map(c -> highest.get(c.hash()).epochs() > c.epochs() ? highest.get(c.hash()) : c).toList();
    }

    /** A result the search may now see; every population-size results are reported as one generation. */
    private void consume(Visit v) {
        visits.add(v);
        promotions.known(v);
        if (v.rung() == 0) candidates.add(v);
        highest.merge(v.hash(), v, (a, b) -> b.epochs() > a.epochs() ? b : a);
        if (checkpoints != null) {
            List<Integer> rungs = ladder.rungs();
            if (v.rung() > 0) checkpoints.delete(v.hash(), rungs.get(v.rung() - 1)); // continued (or retrained) past it
            for (int k = 0; k < ladder.top(); k++) {
                for (String h : promotions.members(k)) if (promotions.hopeless(h, k)) checkpoints.delete(h, rungs.get(k));
            }
        }
        int block = settings.population();
        if (visits.size() % block != 0) return;
        List<Visit> gen = visits.subList(visits.size() - block, visits.size());
        double best = gen.stream().mapToDouble(Visit::fitness).max().orElse(FAILED_FITNESS);
        steadyBlocks = best > bestSoFar ? 0 : steadyBlocks + 1;
        bestSoFar = Math.max(bestSoFar, best);
        generationDone(visits.size() / block, gen);
    }

    /** Scores a batch in order (NSGA-II's generations), fewer than proposed when the stop criteria end it. */
    private List<Visit> scoreBatch(List<Proposal> proposals) {
        List<CompletableFuture<Visit>> futures = new ArrayList<>();
        for (Proposal p : proposals) {
            if (!admits(visits.size() + futures.size())) break;
            futures.add(score(visits.size() + futures.size() + 1, p));
        }
        List<Visit> scored = new ArrayList<>();
        for (CompletableFuture<Visit> f : futures) {
            Visit v = join(f);
            visits.add(v);
            scored.add(v);
        }
        return scored;
    }

    /**
     * Candidate {@code seq}: replayed from an interrupted run, a budget failure, a cache hit, the result of a twin
     * in flight, or trained on the pool. Committed as soon as it is scored, whatever the order of completion.
     */
    private CompletableFuture<Visit> score(int seq, Proposal p) {
        if (!rejectionShown && sampler.firstRejection() != null) { // once per campaign: later rejections are only counted
            rejectionShown = true;
            listener.rejection(sampler.firstRejection());
        }
        var stored = log.replay(seq);
        if (stored.isPresent()) return CompletableFuture.completedFuture(reported(checkReplay(stored.get(), p)));
        int epochs = ladder.rungs().get(p.rung());
        Architecture arch = codec.layout().decode(p.genes());
        String hash = ArchitectureJson.hash(arch);
        String violation = settings.budget().and(codec.layout().budget()).violation(arch.graph());
        if (violation != null) {
            // the proposers sample within budget; reaching this means a bug, and it must still not train
            return CompletableFuture.completedFuture(record(seq, p, arch, hash, EvaluationResult.failed(Status.INVALID,
                    "over budget: " + violation, List.of(), 0, arch.graph().params(), arch.graph().macs(), "none"), false, epochs, 0));
        }
        var cached = log.cached(hash, fidelity, epochs);
        if (cached.isPresent()) return CompletableFuture.completedFuture(record(seq, p, arch, hash, cached.get(), true, epochs, 0));
        CompletableFuture<Visit> twin = training.get(hash + "@" + epochs);
        if (twin != null && !twin.isDone()) { // trained once: the repeat takes its twin's result, unless that is not reusable
            return onSearchThread(twin, (t, e) -> log.cached(hash, fidelity, epochs)).thenCompose(c -> c.isPresent()
                    ? CompletableFuture.completedFuture(record(seq, p, arch, hash, c.get(), true, epochs, 0))
                    : train(seq, p, arch, hash, epochs));
        }
        return train(seq, p, arch, hash, epochs);
    }

    /** On the pool: the whole schedule, or one rung's leg, continuing from the checkpoint below when there is one. */
    private CompletableFuture<Visit> train(int seq, Proposal p, Architecture arch, String hash, int epochs) {
        TrainingLeg leg = TrainingLeg.whole(fidelity);
        if (ladder.enabled()) {
            java.nio.file.Path save = p.rung() < ladder.top() ? checkpoints.file(hash, epochs) : null;
            java.nio.file.Path below = p.from() == null ? null : checkpoints.file(hash, p.from().epochs());
            leg = below != null && java.nio.file.Files.isRegularFile(below)
                    ? TrainingLeg.continuing(p.from().epochs(), below, epochs, save)
                    : TrainingLeg.of(epochs, save); // first rung, or no checkpoint (a cached rung below): train from scratch
        }
        TrainingLeg trained = leg;
        CompletableFuture<Visit> f = onSearchThread(pool.submit(arch, fidelity, leg), (r, e) -> {
            if (e != null) throw e instanceof CompletionException c ? c : new CompletionException(e);
            return record(seq, p, arch, hash, continuous(r, trained, p.from()), false, epochs, trained.epochs());
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

    /** Waits for {@code f}, committing every result that arrives meanwhile (in the order the slots finish). */
    private Visit join(CompletableFuture<Visit> f) {
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

    /** Commits the results already handed over, without waiting for more. */
    private void commitFinished() {
        for (Runnable r; (r = finished.poll()) != null; ) r.run();
    }

    private synchronized Visit record(int seq, Proposal p, Architecture arch, String hash, EvaluationResult result, boolean cached,
                                      int epochs, int trainedEpochs) {
        Visit visit = new Visit(0, seq, p.generation(), p.origin(), p.parents(), p.genes(), arch, hash, result, cached, false,
                p.rung(), epochs, trainedEpochs);
        return reported(visit.withId(log.record(visit, fidelity)));
    }

    private synchronized Visit reported(Visit v) {
        listener.visited(v, ++reported, settings.stop().maxEvaluations());
        return v;
    }

    /**
     * A stored candidate must be what the search proposes again; when not, the search code changed since the campaign
     * started (its settings are stored with it), e.g. an older AnyNAS whose evolution ran in generations. Found while
     * replaying, so before anything new trains: the campaign is refused, its stored results stay as they are.
     * Epochs are compared, not rung numbers: a score reused from another campaign carries that campaign's rung.
     */
    private Visit checkReplay(Visit stored, Proposal p) {
        int epochs = ladder.rungs().get(p.rung());
        if (!Arrays.equals(stored.genes(), p.genes()) || stored.epochs() != epochs) {
            throw new org.anynas.space.UserInputException("cannot resume: this AnyNAS proposes candidate " + stored.seq()
                    + " differently from the run that stored it (stored " + ArchitectureCodec.text(stored.genes()) + " after "
                    + stored.epochs() + " epochs, now " + ArchitectureCodec.text(p.genes()) + " after " + epochs + "), so the "
                    + "search code changed since the campaign started; its results stay queryable, and a new campaign with "
                    + "cache: true reuses their scores");
        }
        return stored.rung() == p.rung() ? stored : new Visit(stored.candidateId(), stored.seq(), stored.generation(),
                stored.origin(), stored.parents(), stored.genes(), stored.architecture(), stored.hash(), stored.result(),
                stored.cached(), true, p.rung(), epochs, 0);
    }

    private void generationDone(int generation, List<Visit> gen) {
        if (gen.isEmpty()) return;
        List<Visit> ok = gen.stream().filter(v -> v.result().ok()).toList();
        double[] accs = ok.stream().mapToDouble(v -> v.result().valAccuracy()).sorted().toArray();
        Visit best = ok.stream().max(Comparator.comparingDouble(v -> v.result().valAccuracy())).orElse(null);
        GenerationStats stats = new GenerationStats(generation, gen.size(),
                (int) gen.stream().filter(Visit::cached).count(), gen.size() - ok.size(),
                best == null ? Double.NaN : best.result().valAccuracy(),
                accs.length == 0 ? Double.NaN : (accs.length % 2 == 1 ? accs[accs.length / 2]
                        : (accs[accs.length / 2 - 1] + accs[accs.length / 2]) / 2),
                best == null ? 0 : best.result().params(), best == null ? 0 : best.result().macs(), elapsed(), visits.size());
        log.generation(stats);
        listener.generation(stats);
    }

    private double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }
}
