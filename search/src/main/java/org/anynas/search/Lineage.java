package org.anynas.search;

import io.jenetics.Genotype;
import io.jenetics.IntegerGene;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each offspring genotype came about (crossover, mutation) and from which parents, recorded by the
 * alterers and read when the offspring is scored, so the database can store origin and parent candidates.
 */
final class Lineage {
    /** Origin and parent genes (as stored text) of one genotype. */
    record Entry(String origin, List<String> parents, long generation) {
    }

    private final Map<Genotype<IntegerGene>, Entry> byGenotype = new IdentityHashMap<>();
    private final Map<String, Long> candidateByGenes = new HashMap<>();

    void record(Genotype<IntegerGene> child, String origin, List<Genotype<IntegerGene>> parents, long generation) {
        Entry inherited = byGenotype.get(parents.get(0));
        if (inherited != null && inherited.generation() == generation && parents.size() == 1) {
            // a crossover child mutated in the same generation keeps both parents
            byGenotype.put(child, new Entry(inherited.origin() + "+" + origin, inherited.parents(), generation));
            return;
        }
        byGenotype.put(child, new Entry(origin,
                parents.stream().map(p -> ArchitectureCodec.text(ArchitectureCodec.genes(p))).toList(), generation));
    }

    /** The lineage of a genotype about to be scored (null for a random one); forgets it afterwards. */
    Entry take(Genotype<IntegerGene> genotype) {
        return byGenotype.remove(genotype);
    }

    /** Remembers which candidate a genotype was first scored as, so children can name their parents. */
    void scored(String genes, long candidateId) {
        candidateByGenes.putIfAbsent(genes, candidateId);
    }

    Long candidate(String genes) {
        return candidateByGenes.get(genes);
    }
}
