package org.anynas.search;

import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.Selector;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Constraint;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionStream;
import io.jenetics.engine.Limits;
import io.jenetics.util.Factory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Vec;
import org.anynas.evaluator.EvaluationResult;
import org.anynas.evaluator.Status;
import org.anynas.evaluator.Trainer;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.Sampler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.BooleanSupplier;
import java.util.Random;

/**
 * Runs one campaign's search: proposes candidates (evolution, NSGA-II or random), scores each exactly once through
 * the {@link SearchLog} (replay of an interrupted run, then the cache, then the {@link Trainer}), and commits
 * every visit as soon as it is scored. The same seed and the same scores give the same candidate sequence,
 * which is also how a resumed campaign replays its stored visits before training new ones.
 */
public final class Search {
    public static final double FAILED_FITNESS = -1.0;
    private static final int MAX_DRAWS = 100_000;

    private final ArchitectureCodec codec;
    private final Sampler sampler;
    private final SearchSettings settings;
    private final Fidelity fidelity;
    private final EvaluationPool pool;
    private final boolean ownsPool;
    private final SearchLog log;
    private final SearchListener listener;
    private final List<Visit> visits = new ArrayList<>();
    private final Lineage lineage = new Lineage();
    private BooleanSupplier stopRequested = () -> false;
    private int reported;
    private long started;

    private Search(GenotypeLayout layout, SearchSettings settings, Fidelity fidelity, EvaluationPool pool,
                   boolean ownsPool, SearchLog log, SearchListener listener) {
        this.codec = ArchitectureCodec.of(layout);
        this.sampler = Sampler.of(layout, settings.budget());
        this.settings = settings;
        this.fidelity = fidelity;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.log = log;
        this.listener = listener;
    }

    /** A search whose candidates train on {@code pool}'s slots; the caller owns (and closes) the pool. */
    public static Search of(GenotypeLayout layout, SearchSettings settings, Fidelity fidelity, EvaluationPool pool,
                            SearchLog log, SearchListener listener) {
        return new Search(layout, settings, fidelity, pool, false, log, listener);
    }

    /** A search training on {@code settings.workers()} slots that share one thread-safe trainer. */
    public static Search of(GenotypeLayout layout, SearchSettings settings, Fidelity fidelity, Trainer trainer,
                            SearchLog log, SearchListener listener) {
        return new Search(layout, settings, fidelity, SlotPool.shared(trainer, settings.workers()), true, log, listener);
    }

    /** Runs to a stop criterion; returns every visit in order. */
    public List<Visit> run() {
        started = System.nanoTime();
        listener.started(settings.stop().maxEvaluations());
        Random random = new Random(settings.seed());
        try {
            runWith(random);
        } finally {
            if (ownsPool) pool.close();
        }
        return List.copyOf(visits);
    }

    private void runWith(Random random) {
        RandomRegistry.with(random, r -> {
            switch (settings.strategy()) {
                case RANDOM -> runRandom(random);
                case EVOLUTION -> runEvolution();
                case NSGA2 -> runNsga2();
            }
            return null;
        });
    }

    /** A user's stop request (Ctrl-C): the search ends after recording the candidate in flight. */
    public Search withStop(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /** Whether the search ended because a stop was requested. */
    public boolean stopped() {
        return stopRequested.getAsBoolean();
    }

    private boolean exhausted() {
        StopCriteria stop = settings.stop();
        return visits.size() >= stop.maxEvaluations()
                || (stop.maxMinutes() > 0 && elapsed() > stop.maxMinutes() * 60)
                || stopRequested.getAsBoolean();
    }

    // ---- random search -----------------------------------------------------------------------------------

    private void runRandom(Random random) {
        int block = settings.population();
        int generation = 1;
        while (!exhausted() && (settings.stop().maxGenerations() == 0 || generation <= settings.stop().maxGenerations())) {
            int from = visits.size();
            List<Proposal> proposals = new ArrayList<>();
            for (int i = 0; i < Math.min(block, remaining()); i++) {
                proposals.add(new Proposal(sampler.sample(random, MAX_DRAWS), generation, "random", List.of()));
            }
            scoreBatch(proposals);
            generationDone(generation, visits.subList(from, visits.size()));
            generation++;
        }
    }

    // ---- regularized evolution and NSGA-II -----------------------------------------------------------------

    private void runEvolution() {
        runEngine(Visit::fitness, FAILED_FITNESS, new YoungestSelector<>(), settings.effectiveMaxAge());
    }

    /** NSGA-II: maximise (accuracy, −cost); survivors by non-dominated rank and crowding distance. */
    private void runNsga2() {
        Objective objective = settings.objective();
        runEngine(v -> v.result().ok() ? Vec.of(v.result().valAccuracy(), -objective.cost(v.result()))
                        : Vec.of(FAILED_FITNESS, -Double.MAX_VALUE),
                Vec.of(FAILED_FITNESS, -Double.MAX_VALUE), NSGA2Selector.ofVec(), Long.MAX_VALUE / 2);
    }

    private <C extends Comparable<? super C>> void runEngine(Function<Visit, C> fitness, C failed,
                                                             Selector<IntegerGene, C> survivors, long maxAge) {
        // Every genotype Jenetics creates (first population, replacements of aged-out individuals, repairs of
        // invalid offspring) is sampled within budget; the constraint catches altered offspring.
        Factory<Genotype<IntegerGene>> valid = () -> codec.genotype(sampler.sample(RandomRegistry.random(), MAX_DRAWS));
        Constraint<IntegerGene, C> withinBudget = Constraint.of(
                pt -> sampler.accepts(ArchitectureCodec.genes(pt.genotype())),
                (pt, generation) -> Phenotype.of(valid.newInstance(), generation));
        Engine<IntegerGene, C> engine = new Engine.Builder<IntegerGene, C>(pop -> evaluate(pop, fitness, failed), valid)
                .optimize(Optimize.MAXIMUM)
                .populationSize(settings.population())
                .offspringFraction(settings.offspringFraction())
                .offspringSelector(new TournamentSelector<>(settings.tournament()))
                .survivorsSelector(survivors)
                .maximalPhenotypeAge(maxAge)
                .alterers(new StageCrossover<>(settings.crossoverRate(), codec.layout().space().minStages(), lineage),
                        new ArchitectureMutator<>(settings.mutationRate(), codec, lineage))
                .constraint(withinBudget)
                .executor(Runnable::run) // single-threaded alteration keeps the random sequence reproducible
                .build();
        EvolutionStream<IntegerGene, C> stream = engine.stream().limit(r -> !exhausted());
        StopCriteria stop = settings.stop();
        if (stop.maxGenerations() > 0) stream = stream.limit(Limits.byFixedGeneration(stop.maxGenerations()));
        if (stop.steadyGenerations() > 0) stream = stream.limit(Limits.bySteadyFitness(stop.steadyGenerations()));
        if (stop.maxMinutes() > 0) stream = stream.limit(Limits.byExecutionTime(Duration.ofSeconds((long) (stop.maxMinutes() * 60))));
        stream.forEach(r -> generationDone((int) r.generation(),
                visits.stream().filter(v -> v.generation() == r.generation()).toList()));
    }

    /** Jenetics batch evaluator: scores the population's new phenotypes as one batch, one visit each. */
    private <C extends Comparable<? super C>> ISeq<Phenotype<IntegerGene, C>> evaluate(
            Seq<Phenotype<IntegerGene, C>> population, Function<Visit, C> fitness, C failed) {
        List<Integer> fresh = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        int admitted = remaining();
        for (int i = 0; i < population.size(); i++) {
            Phenotype<IntegerGene, C> pt = population.get(i);
            if (pt.isEvaluated() || proposals.size() >= admitted) continue;
            Lineage.Entry from = lineage.take(pt.genotype());
            List<Long> parents = from == null ? List.of()
                    : from.parents().stream().map(lineage::candidate).filter(java.util.Objects::nonNull).toList();
            proposals.add(new Proposal(ArchitectureCodec.genes(pt.genotype()), (int) pt.generation(),
                    from == null ? "random" : from.origin(), parents));
            fresh.add(i);
        }
        List<Visit> scored = scoreBatch(proposals);
        List<Phenotype<IntegerGene, C>> out = new ArrayList<>(population.size());
        for (int i = 0; i < population.size(); i++) {
            Phenotype<IntegerGene, C> pt = population.get(i);
            int k = fresh.indexOf(i);
            if (k >= 0 && k < scored.size()) out.add(pt.withFitness(fitness.apply(scored.get(k))));
            else out.add(pt.isEvaluated() ? pt : pt.withFitness(failed)); // over budget: never trained or stored
        }
        return ISeq.of(out);
    }

    /** The visits not dominated in (validation accuracy ↑, cost ↓), one per network, successful ones only. */
    public static List<Visit> paretoFront(List<Visit> visits, Objective objective) {
        Map<String, Visit> distinct = new LinkedHashMap<>();
        for (Visit v : visits) if (v.result().ok()) distinct.putIfAbsent(v.hash(), v);
        List<Visit> front = new ArrayList<>();
        for (Visit v : distinct.values()) {
            double[] a = {v.result().valAccuracy(), -objective.cost(v.result())};
            boolean dominated = distinct.values().stream().anyMatch(o -> o != v
                    && Vec.dominance(new double[]{o.result().valAccuracy(), -objective.cost(o.result())}, a) > 0);
            if (!dominated) front.add(v);
        }
        front.sort(java.util.Comparator.comparingDouble((Visit v) -> -v.result().valAccuracy()));
        return front;
    }

    // ---- scoring -------------------------------------------------------------------------------------------

    /** A candidate to score: its genes and how it came about. */
    private record Proposal(int[] genes, int generation, String origin, List<Long> parents) {
    }

    /** How many more candidates the stop criteria admit now. */
    private int remaining() {
        return exhausted() ? 0 : settings.stop().maxEvaluations() - visits.size();
    }

    /**
     * Scores proposals in order as candidates seq+1 … seq+n: replays of an interrupted run, cache hits and
     * budget failures at once, trainings on the pool's slots. A network proposed twice in one batch is trained
     * once. Each visit is committed as soon as it is scored. Trainings are submitted largest first (by MACs),
     * so that the batch's long runs do not start last and leave the other slots idle at its end.
     */
    private List<Visit> scoreBatch(List<Proposal> proposals) {
        int base = visits.size();
        Visit[] done = new Visit[proposals.size()];
        Map<String, Integer> firstOfHash = new java.util.HashMap<>();
        List<Integer> repeats = new ArrayList<>();
        List<Integer> toTrain = new ArrayList<>();
        Architecture[] archs = new Architecture[proposals.size()];
        String[] hashes = new String[proposals.size()];
        int n = proposals.size();
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            int seq = base + i + 1;
            if (stopRequested.getAsBoolean()) { // Ctrl-C: start nothing new; what is in flight records itself
                n = i;
                break;
            }
            var stored = log.replay(seq);
            if (stored.isPresent()) {
                done[i] = reported(checkReplay(stored.get(), p.genes()));
                continue;
            }
            Architecture arch = codec.layout().decode(p.genes());
            String hash = ArchitectureJson.hash(arch);
            String violation = settings.budget().and(codec.layout().space().budget()).violation(arch.graph());
            if (violation != null) {
                // the constraint resamples such genotypes; reaching this means a bug, and it must still not train
                done[i] = record(seq, p, arch, hash, EvaluationResult.failed(Status.INVALID, "over budget: " + violation,
                        List.of(), 0, arch.graph().params(), arch.graph().macs(), "none"), false);
                continue;
            }
            var cached = log.cached(hash, fidelity);
            if (cached.isPresent()) {
                done[i] = record(seq, p, arch, hash, cached.get(), true);
            } else if (firstOfHash.putIfAbsent(hash, i) != null) {
                repeats.add(i);
            } else {
                toTrain.add(i);
                archs[i] = arch;
                hashes[i] = hash;
            }
        }
        toTrain.sort(java.util.Comparator.comparingLong((Integer i) -> -archs[i].graph().macs()).thenComparing(i -> i));
        List<java.util.concurrent.CompletableFuture<Visit>> training = new ArrayList<>();
        for (int i : toTrain) {
            Proposal p = proposals.get(i);
            int seq = base + i + 1;
            training.add(pool.submit(archs[i], fidelity)
                    .thenApply(result -> done[seq - base - 1] = record(seq, p, archs[seq - base - 1], hashes[seq - base - 1], result, false)));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(training.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        for (int i : repeats) {
            if (i >= n) continue;
            Proposal p = proposals.get(i);
            Architecture arch = codec.layout().decode(p.genes());
            String hash = ArchitectureJson.hash(arch);
            var cached = log.cached(hash, fidelity); // the twin's result, unless its status is not reusable
            done[i] = record(base + i + 1, p, arch, hash, cached.orElseGet(() -> pool.submit(arch, fidelity).join()), cached.isPresent());
        }
        List<Visit> scored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            visits.add(done[i]);
            scored.add(done[i]);
            lineage.scored(ArchitectureCodec.text(proposals.get(i).genes()), done[i].candidateId());
        }
        return scored;
    }

    private synchronized Visit record(int seq, Proposal p, Architecture arch, String hash, EvaluationResult result, boolean cached) {
        Visit visit = new Visit(0, seq, p.generation(), p.origin(), p.parents(), p.genes(), arch, hash, result, cached, false);
        return reported(visit.withId(log.record(visit, fidelity)));
    }

    private synchronized Visit reported(Visit v) {
        listener.visited(v, ++reported, settings.stop().maxEvaluations());
        return v;
    }

    private static Visit checkReplay(Visit stored, int[] genes) {
        if (!Arrays.equals(stored.genes(), genes)) {
            throw new IllegalStateException("resume diverged at candidate " + stored.seq() + ": the campaign's settings "
                    + "or the code changed since it was started (stored genes " + ArchitectureCodec.text(stored.genes())
                    + ", proposed " + ArchitectureCodec.text(genes) + ")");
        }
        return stored;
    }

    private void generationDone(int generation, List<Visit> gen) {
        if (gen.isEmpty()) return;
        List<Visit> ok = gen.stream().filter(v -> v.result().ok()).toList();
        double[] accs = ok.stream().mapToDouble(v -> v.result().valAccuracy()).sorted().toArray();
        Visit best = ok.stream().max(java.util.Comparator.comparingDouble(v -> v.result().valAccuracy())).orElse(null);
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
