package org.anynas.space;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GenotypeLayoutTest {

    @ParameterizedTest
    @ValueSource(strings = {"chain", "anynet", "multibranch"})
    void thousandRandomGenotypesDecodeConsistentlyAndRoundTrip(String name) {
        DesignSpace space = DesignSpace.load(name);
        for (Shape input : new Shape[]{Shape.of(1, 28, 28), Shape.of(3, 32, 32)}) {
            GenotypeLayout layout = space.layout(input, 10);
            Sampler sampler = Sampler.of(layout);
            Random random = new Random(42);
            int valid = 0;
            for (int i = 0; i < 1000; i++) {
                int[] genes = sampler.randomGenes(random);
                Architecture a = layout.decode(genes);
                assertThat(layout.decode(layout.encode(a))).isEqualTo(a);
                assertThat(a.canonical()).isEqualTo(a);
                try {
                    OpGraph g = a.graph();
                    assertThat(g.outputShape()).isEqualTo(Shape.vector(10));
                    assertThat(g.params()).isPositive();
                    assertThat(g.macs()).isPositive();
                    valid++;
                } catch (InvalidArchitectureException e) {
                    assertThat(e.getMessage()).startsWith("node '");
                }
            }
            assertThat(valid).as("valid architectures of %s at %s", name, input).isGreaterThan(500);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chain", "anynet", "multibranch"})
    void samplingReturnsOnlyArchitecturesWithinBudget(String name) {
        GenotypeLayout layout = DesignSpace.load(name).layout(Shape.of(1, 28, 28), 10);
        Budget budget = Budget.of(60_000, 6_000_000);
        Sampler sampler = Sampler.of(layout, budget);
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            OpGraph g = layout.decode(sampler.sample(random, 100_000)).graph();
            assertThat(g.params()).isLessThanOrEqualTo(60_000);
            assertThat(g.macs()).isLessThanOrEqualTo(6_000_000);
        }
        assertThat(sampler.rejected()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chain", "anynet", "multibranch"})
    void genesOfInactiveStagesDoNotChangeTheNetworkOrItsHash(String name) {
        DesignSpace space = DesignSpace.load(name);
        GenotypeLayout layout = space.layout(Shape.of(1, 28, 28), 10);
        int[] genes = new int[layout.length()];
        genes[GenotypeLayout.Global.STAGES.ordinal()] = 0; // min stages: every stage beyond it is inactive
        Architecture a = layout.decode(genes);
        int[] other = genes.clone();
        int last = layout.stageBase(space.maxStages() - 1);
        for (int g = 0; g < layout.stageGenes(); g++) other[last + g] = layout.size(last + g) - 1;
        if (space.maxStages() > space.minStages()) {
            assertThat(layout.decode(other)).isEqualTo(a);
            assertThat(ArchitectureJson.hash(layout.decode(other))).isEqualTo(ArchitectureJson.hash(a));
        }
        assertThat(layout.log10Size()).isPositive();
    }
}
