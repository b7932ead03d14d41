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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * NSGA-II (Deb et al., 2002) on Jenetics: maximise (accuracy, −cost), survivors by non-dominated rank and
 * crowding distance. It stays generational, because its survivor selection ranks a whole generation; each
 * generation's offspring are scored as one batch on the pool's slots.
 */
final class Nsga2Generations {
    private final ArchitectureCodec codec;
    private final Sampler sampler;
    private final SearchSettings settings;
    private final Lineage lineage = new Lineage();

    Nsga2Generations(ArchitectureCodec codec, Sampler sampler, SearchSettings settings) {
        this.codec = codec;
        this.sampler = sampler;
        this.settings = settings;
    }

    /**
     * Runs generations until {@code exhausted}; {@code score} scores a batch in order (fewer visits than
     * proposals when the budget ends), {@code generationDone} reports each generation.
     */
    void run(Function<List<Proposal>, List<Visit>> score, BooleanSupplier exhausted, IntConsumer generationDone) {
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
