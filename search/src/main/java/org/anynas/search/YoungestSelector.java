package org.anynas.search;

import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.Selector;
import io.jenetics.util.ISeq;
import io.jenetics.util.Seq;

import java.util.Comparator;

/**
 * Survivor selection of regularized evolution: the youngest individuals survive, whatever their fitness,
 * so the oldest leave the population (Real et al., 2019). Fitness only matters when choosing parents.
 */
final class YoungestSelector<G extends io.jenetics.Gene<?, G>, C extends Comparable<? super C>> implements Selector<G, C> {

    @Override
    public ISeq<Phenotype<G, C>> select(Seq<Phenotype<G, C>> population, int count, Optimize opt) {
        return population.stream()
                .sorted(Comparator.comparingLong((Phenotype<G, C> p) -> p.generation()).reversed())
                .limit(count)
                .collect(ISeq.toISeq());
    }
}
