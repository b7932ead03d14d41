package org.anynas.search;

import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Constraint;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionStream;
import io.jenetics.engine.Limits;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.Factory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import org.anynas.space.Sampler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * NSGA-II (Deb et al., 2002) on Jenetics: maximise (accuracy, −cost), survivors by non-dominated rank and
 * crowding distance. It stays generational, because its survivor selection ranks a whole generation: {@link #ask}
 * hands out a generation's offspring once the previous generation is told, and they train as one batch.
 *
 * <p>Jenetics' engine calls its evaluator from inside its stream, so the stream runs on a thread of its own that
 * hands each generation over and waits for its results: the engine still draws every random number, in the order
 * it always did, from the run's one {@link Random}; the search thread alone trains, commits and reports.
 */
final class Nsga2Generations implements Proposer {
    private static final Object FINISHED = new Object();

    private final ArchitectureCodec codec;
    private final Sampler sampler;
    private final SearchSettings settings;
    private final Lineage lineage = new Lineage();
    private final Random random;
    private final IntConsumer generationDone;
    // engine → search: a generation's proposals, a finished generation's number, FINISHED, or the engine's failure
    private final BlockingQueue<Object> toSearch = new LinkedBlockingQueue<>();
    private final BlockingQueue<Told> toEngine = new LinkedBlockingQueue<>(); // search → engine: the told results
    private final Deque<Proposal> generation = new ArrayDeque<>(); // proposals not yet asked for
    private List<Visit> told = new ArrayList<>();
    private int handedOut;
    private Thread engine;
    private boolean finished;
    private volatile boolean exhausted; // read by the engine's stream limit

    /** The results of a generation (fewer than proposed when the search stopped), or null to abort the engine. */
    private record Told(List<Visit> visits, boolean last) {
    }

    /** Ends the engine's thread when the search failed. */
    private static final class Aborted extends RuntimeException {
        Aborted() {
            super(null, null, false, false);
        }
    }

    Nsga2Generations(ArchitectureCodec codec, Sampler sampler, SearchSettings settings, Random random, IntConsumer generationDone) {
        this.codec = codec;
        this.sampler = sampler;
        this.settings = settings;
        this.random = random;
        this.generationDone = generationDone;
    }

    @Override
    public boolean steadyState() {
        return false;
    }

    @Override
    public Proposal ask(int seq) {
        if (finished) return null;
        if (!generation.isEmpty()) return generation.poll();
        if (told.size() < handedOut) return null; // the generation is not known yet
        if (engine == null) start();
        else hand(false);
        while (generation.isEmpty() && !finished) {
            if (!(next() instanceof List<?> proposals)) continue;
            for (Object p : proposals) generation.add((Proposal) p);
            handedOut = generation.size();
            if (generation.isEmpty()) hand(false); // nothing new to train (scored as an empty batch)
        }
        return generation.poll();
    }

    @Override
    public void tell(Visit visit) {
        told.add(visit);
    }

    @Override
    public void finish() {
        if (engine == null || finished) return;
        hand(true);
        while (!finished) {
            if (next() instanceof List<?>) hand(true); // a generation the engine makes before it stops: none of it trains
        }
    }

    @Override
    public void close() {
        if (engine == null || !engine.isAlive()) return;
        toEngine.add(new Told(null, true));
        try {
            engine.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void start() {
        engine = new Thread(() -> {
            try {
                RandomRegistry.with(random, r -> {
                    run(this::exchange, () -> exhausted, g -> toSearch.add(g));
                    return null;
                });
                toSearch.add(FINISHED);
            } catch (Aborted e) {
                // the search failed and no longer listens
            } catch (Throwable e) {
                toSearch.add(e);
            }
        }, "anynas-nsga2");
        engine.setDaemon(true);
        engine.start();
    }

    /** Gives the engine the results told since the last generation was handed out; {@code last}: the search asks no more. */
    private void hand(boolean last) {
        toEngine.add(new Told(told, last));
        told = new ArrayList<>();
        handedOut = 0;
    }

    /** The engine's next message: proposals are returned, a finished generation is reported here, on the search thread. */
    private Object next() {
        Object m;
        try {
            m = toSearch.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for NSGA-II's next generation", e);
        }
        if (m == FINISHED) finished = true;
        else if (m instanceof Integer g) generationDone.accept(g);
        else if (m instanceof RuntimeException e) throw e;
        else if (m instanceof Throwable e) throw new IllegalStateException(e);
        return m;
    }

    /** On the engine's thread: hands a generation's proposals to the search and waits for their results. */
    private List<Visit> exchange(List<Proposal> proposals) {
        toSearch.add(List.copyOf(proposals));
        Told t;
        try {
            t = toEngine.take();
        } catch (InterruptedException e) {
            throw new Aborted();
        }
        if (t.visits() == null) throw new Aborted();
        exhausted = t.last();
        return t.visits();
    }

    /**
     * Runs generations until {@code exhausted}; {@code score} scores a batch in order (fewer visits than
     * proposals when the budget ends), {@code generationDone} reports each generation.
     */
    private void run(Function<List<Proposal>, List<Visit>> score, BooleanSupplier exhausted, IntConsumer generationDone) {
        Objective objective = settings.objective();
        Vec<double[]> failed = Vec.of(Search.FAILED_FITNESS, -Double.MAX_VALUE);
        Function<Visit, Vec<double[]>> fitness = v -> v.result().ok()
                ? Vec.of(v.result().valAccuracy(), -objective.cost(v.result())) : failed;
        // Every genotype Jenetics creates (first population, repairs of invalid offspring) is sampled within
        // budget; the constraint catches altered offspring.
        Factory<Genotype<IntegerGene>> valid = () -> codec.genotype(sampler.sample(RandomRegistry.random(), Search.MAX_DRAWS));
        Constraint<IntegerGene, Vec<double[]>> withinBudget = Constraint.of(
                pt -> sampler.accepts(ArchitectureCodec.genes(pt.genotype())),
                (pt, generation) -> Phenotype.of(valid.newInstance(), generation));
        Engine<IntegerGene, Vec<double[]>> engine = new Engine.Builder<IntegerGene, Vec<double[]>>(
                pop -> evaluate(pop, score, fitness, failed), valid)
                .optimize(Optimize.MAXIMUM)
                .populationSize(settings.population())
                .offspringFraction(settings.offspringFraction())
                .offspringSelector(new TournamentSelector<>(settings.tournament()))
                .survivorsSelector(NSGA2Selector.ofVec())
                .maximalPhenotypeAge(Long.MAX_VALUE / 2)
                .alterers(new StageCrossover<>(settings.crossoverRate(), codec.layout(), lineage),
                        new ArchitectureMutator<>(settings.mutationRate(), codec, lineage))
                .constraint(withinBudget)
                .executor(Runnable::run) // single-threaded alteration keeps the random sequence reproducible
                .build();
        EvolutionStream<IntegerGene, Vec<double[]>> stream = engine.stream().limit(r -> !exhausted.getAsBoolean());
        StopCriteria stop = settings.stop();
        if (stop.maxGenerations() > 0) stream = stream.limit(Limits.byFixedGeneration(stop.maxGenerations()));
        if (stop.steadyGenerations() > 0) stream = stream.limit(Limits.bySteadyFitness(stop.steadyGenerations()));
        if (stop.maxMinutes() > 0) stream = stream.limit(Limits.byExecutionTime(Duration.ofSeconds((long) (stop.maxMinutes() * 60))));
        stream.forEach(r -> generationDone.accept((int) r.generation()));
    }

    /** Jenetics batch evaluator: scores the population's new phenotypes as one batch, one visit each. */
    private ISeq<Phenotype<IntegerGene, Vec<double[]>>> evaluate(Seq<Phenotype<IntegerGene, Vec<double[]>>> population,
                                                               Function<List<Proposal>, List<Visit>> score,
                                                               Function<Visit, Vec<double[]>> fitness, Vec<double[]> failed) {
        List<Integer> fresh = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        for (int i = 0; i < population.size(); i++) {
            Phenotype<IntegerGene, Vec<double[]>> pt = population.get(i);
            if (pt.isEvaluated()) continue;
            Lineage.Entry from = lineage.take(pt.genotype());
            List<Long> parents = from == null ? List.of()
                    : from.parents().stream().map(lineage::candidate).filter(Objects::nonNull).toList();
            proposals.add(new Proposal(ArchitectureCodec.genes(pt.genotype()), (int) pt.generation(),
                    from == null ? "random" : from.origin(), parents));
            fresh.add(i);
        }
        List<Visit> scored = score.apply(proposals);
        for (int k = 0; k < scored.size(); k++) {
            lineage.scored(ArchitectureCodec.text(proposals.get(k).genes()), scored.get(k).candidateId());
        }
        List<Phenotype<IntegerGene, Vec<double[]>>> out = new ArrayList<>(population.size());
        for (int i = 0; i < population.size(); i++) {
            Phenotype<IntegerGene, Vec<double[]>> pt = population.get(i);
            int k = fresh.indexOf(i);
            if (k >= 0 && k < scored.size()) out.add(pt.withFitness(fitness.apply(scored.get(k))));
            else out.add(pt.isEvaluated() ? pt : pt.withFitness(failed)); // over budget: never trained or stored
        }
        return ISeq.of(out);
    }
}
