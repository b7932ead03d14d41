package org.anynas.search;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.DesignSpace;
import org.anynas.space.Genome;
import org.anynas.space.Shape;
import org.anynas.space.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every strategy runs on the RegNet genome (no stages) and on AnyNetX-E, as on any space. */
class RegNetSearchTest {

    @Test
    void everyStrategyRunsOnRegnetAndEvolutionBreedsFromTheRule() {
        Genome regnet = DesignSpace.load("regnet").genome(Shape.of(1, 28, 28), 10);
        for (Strategy s : Strategy.values()) {
            MemoryLog log = new MemoryLog();
            List<Visit> visits = Search.of(regnet, SearchTest.settings(s, 3, 40, 1), SearchTest.F, new FakeTrainer(), log,
                    SearchListener.NONE).run();
            assertThat(visits).as("%s", s).hasSize(40);
            assertThat(visits).allSatisfy(v -> {
                assertThat(v.architecture().stages()).extracting(Stage::block).containsOnly(BlockType.X);
                assertThat(regnet.decode(v.genes())).isEqualTo(v.architecture());
            });
            if (s != Strategy.RANDOM) {
                assertThat(visits).extracting(Visit::origin).as("%s", s).anyMatch(o -> o.contains("mutation"));
                assertThat(visits).extracting(Visit::origin).as("%s", s).anyMatch(o -> o.startsWith("crossover"));
            }
        }
    }

    @Test
    void mutationChangesTheRegnetNetworkAndUniformCrossoverMixesGenes() {
        Genome regnet = DesignSpace.load("regnet").genome(Shape.of(3, 32, 32), 10);
        ArchitectureMutator<Double> mutator = new ArchitectureMutator<>(1.0, ArchitectureCodec.of(regnet), new Lineage());
        org.anynas.space.Sampler sampler = org.anynas.space.Sampler.of(regnet);
        Random random = new Random(4);
        for (int i = 0; i < 50; i++) {
            int[] a = sampler.sample(random, 10_000);
            int[] b = sampler.sample(random, 10_000);
            int[] child = mutator.mutate(a, random);
            if (child != null) assertThat(regnet.decode(child)).isNotEqualTo(regnet.decode(a));
            int[] mixed = StageCrossover.cross(regnet, a, b, random);
            for (int g = 0; g < mixed.length; g++) assertThat(mixed[g]).isIn(a[g], b[g]);
        }
    }

    @Test
    void evolutionOnAnynetxEKeepsItsConstraints() {
        Genome e = DesignSpace.load("anynetx-e").genome(Shape.of(1, 28, 28), 10);
        List<Visit> visits = Search.of(e, SearchTest.settings(Strategy.EVOLUTION, 5, 40, 1), SearchTest.F,
                new FakeTrainer(), new MemoryLog(), SearchListener.NONE).run();
        for (Visit v : visits) {
            Architecture a = v.architecture();
            for (int k = 1; k < a.stages().size(); k++) {
                assertThat(a.stages().get(k).width()).isGreaterThanOrEqualTo(a.stages().get(k - 1).width());
                assertThat(a.stages().get(k).depth()).isGreaterThanOrEqualTo(a.stages().get(k - 1).depth());
            }
        }
    }
}
