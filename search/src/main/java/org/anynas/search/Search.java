package org.anynas.search;

import org.anynas.trainer.Trainer;
import org.anynas.space.Fidelity;
import org.anynas.space.Genome;
import org.anynas.space.Sampler;
import org.anynas.space.UserInputException;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * One campaign's search, built once ({@link #builder}) and never changed, as Jenetics' {@code Engine}: each
 * {@link #run} asks a {@link Proposer} (the strategy) for candidates, scores them with a {@link Scorer} (replay,
 * budget, cache, twin, train, commit) on the {@link EvaluationPool}'s slots, and tells the proposer the results;
 * a {@link LadderPolicy} adds the promotions of a fidelity ladder and keeps its checkpoints.
 *
 * <p>Evolution and random search are steady-state: up to {@code in_flight} candidates train at once, and a
 * slot that finishes gets the next child at once. Determinism: results are told in proposal order, and
 * candidate {@code n} is proposed from exactly the results of candidates 1 … n − in_flight, however fast the
 * slots are. The same seed, in_flight and scores give the same candidate sequence on any number of slots,
 * which is also how a resumed campaign replays its stored visits before training new ones. NSGA-II proposes a
 * generation at a time, once the previous one is told.
 */
public final class Search {
    public static final double FAILED_FITNESS = -1.0;
    static final int MAX_DRAWS = 100_000;

    private final Genome layout;
    private final SearchSettings settings;
    private final Fidelity fidelity;
    private final EvaluationPool pool; // null: a pool over the trainer, opened and closed by each run
    private final Trainer trainer;
    private final SearchLog log;
    private final SearchListener listener;
    private final BooleanSupplier stop;
    private final Ladder ladder;
    private final Path checkpointDir;

    private Search(Builder b) {
        this.layout = b.layout;
        this.settings = b.settings;
        this.fidelity = b.fidelity;
        this.pool = b.pool;
        this.trainer = b.trainer;
        this.log = b.log;
        this.listener = b.listener;
        this.stop = b.stop;
        this.ladder = b.ladder == null ? Ladder.none(fidelity.epochs()) : b.ladder;
        this.checkpointDir = b.checkpointDir;
    }

    /** A search over {@code layout} with these settings, its candidates trained at {@code fidelity}. */
    public static Builder builder(Genome layout, SearchSettings settings, Fidelity fidelity) {
        return new Builder(layout, settings, fidelity);
    }

    /** A search whose candidates train on {@code pool}'s slots (the caller closes it): {@code builder(...).pool(pool)...build()}. */
    public static Search of(Genome layout, SearchSettings settings, Fidelity fidelity, EvaluationPool pool,
                            SearchLog log, SearchListener listener) {
        return builder(layout, settings, fidelity).pool(pool).log(log).listener(listener).build();
    }

    /** A search training on {@code settings.workers()} slots that share one thread-safe trainer. */
    public static Search of(Genome layout, SearchSettings settings, Fidelity fidelity, Trainer trainer,
                            SearchLog log, SearchListener listener) {
        return builder(layout, settings, fidelity).trainer(trainer).log(log).listener(listener).build();
    }

    /** How a {@link Search} is put together; {@link #build} checks the parts fit. */
    public static final class Builder {
        private final Genome layout;
        private final SearchSettings settings;
        private final Fidelity fidelity;
        private EvaluationPool pool;
        private Trainer trainer;
        private SearchLog log;
        private SearchListener listener = SearchListener.NONE;
        private BooleanSupplier stop = () -> false;
        private Ladder ladder;
        private Path checkpointDir;

        private Builder(Genome layout, SearchSettings settings, Fidelity fidelity) {
            this.layout = Objects.requireNonNull(layout);
            this.settings = Objects.requireNonNull(settings);
            this.fidelity = Objects.requireNonNull(fidelity);
        }

        /** Candidates train on {@code pool}'s slots; the caller owns (and closes) the pool. */
        public Builder pool(EvaluationPool pool) {
            this.pool = pool;
            this.trainer = null;
            return this;
        }

        /** Candidates train on {@code settings.workers()} slots that share one thread-safe trainer (opened per run). */
        public Builder trainer(Trainer trainer) {
            this.trainer = trainer;
            this.pool = null;
            return this;
        }

        /** Where visits are replayed from, looked up in the cache and committed to. */
        public Builder log(SearchLog log) {
            this.log = log;
            return this;
        }

        public Builder listener(SearchListener listener) {
            this.listener = listener;
            return this;
        }

        /** A user's stop request (Ctrl-C): the search ends after recording the candidates in flight. */
        public Builder stop(BooleanSupplier stop) {
            this.stop = stop;
            return this;
        }

        /**
         * Trains on a fidelity ladder (evolution and random search): candidates start on the first rung, and
         * promotions continue the promising ones from their checkpoints in {@code checkpointDir}.
         */
        public Builder ladder(Ladder ladder, Path checkpointDir) {
            this.ladder = ladder;
            this.checkpointDir = checkpointDir;
            return this;
        }

        public Search build() {
            if (pool == null && trainer == null) throw new IllegalStateException("a search needs a pool or a trainer");
            if (log == null) throw new IllegalStateException("a search needs a log");
            if (ladder != null && ladder.enabled() && settings.strategy() == Strategy.NSGA2) {
                throw new UserInputException("multi_fidelity works with strategy evolution or random, not nsga2");
            }
            if (ladder != null && ladder.enabled() && checkpointDir == null) {
                throw new IllegalArgumentException("a fidelity ladder needs a checkpoint folder");
            }
            return new Search(this);
        }
    }

    /** Whether a stop was requested (a run that ends so keeps its checkpoints for a resume). */
    public boolean stopped() {
        return stop.getAsBoolean();
    }

    /**
     * The number of candidates in flight at most for a pool of {@code slots}: the campaign's in_flight, else
     * {@link #inFlightFor} the slots.
     */
    int inFlight(int slots) {
        return settings.inFlight() > 0 ? settings.inFlight() : inFlightFor(slots);
    }

    /**
     * The default in_flight for {@code slots} slots: twice as many, because results are consumed in order: while
     * the search waits for the oldest candidate, the other slots train the queued ones instead of idling (4 slots,
     * candidates of 100–300 ms: 74.5 % busy at in_flight 4, 92.7–96.2 % at 8). One slot needs no queue.
     */
    public static int inFlightFor(int slots) {
        return slots == 1 ? 1 : 2 * slots;
    }

    /** Runs to a stop criterion; returns every visit in order. */
    public List<Visit> run() {
        EvaluationPool slots = pool != null ? pool : SlotPool.shared(trainer, settings.workers());
        try {
            return new Run(slots).run();
        } finally {
            if (pool == null) slots.close();
        }
    }

    /** The state of one run: what has been told, the scorer's queue, the ladder's rungs and the generations. */
    private final class Run {
        private final List<Visit> visits = new ArrayList<>();
        private final Sampler sampler = Sampler.of(layout, settings.budget());
        private final LadderPolicy rungs = new LadderPolicy(ladder, checkpointDir, settings.stop().maxEvaluations());
        private final Scorer scorer;
        private final Generations generations = new Generations(settings.population(), visits, s -> {
            log.generation(s);
            listener.generation(s);
        });
        private final int window;

        Run(EvaluationPool slots) {
            this.scorer = new Scorer(layout, sampler, settings.budget(), fidelity, slots, log, listener, rungs,
                    settings.stop().maxEvaluations());
            this.window = inFlight(slots.slots());
        }

        List<Visit> run() {
            listener.started(settings.stop().maxEvaluations());
            try (Proposer proposer = Proposer.of(settings, ArchitectureCodec.of(layout), sampler, new Random(settings.seed()),
                    generations::ended)) {
                int window = proposer.steadyState() ? this.window : Integer.MAX_VALUE;
                ArrayDeque<CompletableFuture<Visit>> inFlight = new ArrayDeque<>();
                while (true) {
                    // tell only what the next proposal may see, in proposal order: results 1 … seq − window
                    if (inFlight.size() >= window) told(proposer, scorer.join(inFlight.poll()));
                    int seq = visits.size() + inFlight.size() + 1;
                    if (!admits(seq - 1)) break;
                    Proposal p = rungs.promotion((seq - 1) / settings.population() + 1).orElseGet(() -> proposer.ask(seq));
                    if (p == null) { // the proposer waits for the candidates in flight, or has ended
                        if (inFlight.isEmpty()) break;
                        told(proposer, scorer.join(inFlight.poll()));
                        continue;
                    }
                    inFlight.add(scorer.score(seq, p));
                }
                while (!inFlight.isEmpty()) told(proposer, scorer.join(inFlight.poll()));
                proposer.finish();
                if (proposer.steadyState()) {
                    rungs.ended(stopped());
                    generations.last();
                }
            } catch (RuntimeException e) {
                scorer.commitFinished(); // the trainings that had ended when the search failed are kept
                throw e;
            }
            return List.copyOf(visits);
        }

        /** A result the search, its ladder and its proposer may now see. */
        private void told(Proposer proposer, Visit v) {
            visits.add(v);
            proposer.tell(v);
            if (!proposer.steadyState()) return;
            rungs.known(v);
            generations.counted();
        }

        /** Whether the stop criteria admit another candidate after {@code proposed} ones. */
        private boolean admits(int proposed) {
            StopCriteria stop = settings.stop();
            return proposed < stop.maxEvaluations()
                    && !(stop.maxMinutes() > 0 && generations.elapsed() > stop.maxMinutes() * 60)
                    && !(stop.maxGenerations() > 0 && proposed >= stop.maxGenerations() * settings.population())
                    && !(stop.steadyGenerations() > 0 && generations.steady() >= stop.steadyGenerations())
                    && !stopped();
        }
    }
}
