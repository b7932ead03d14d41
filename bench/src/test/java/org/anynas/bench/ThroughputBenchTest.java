package org.anynas.bench;

import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Shape;
import org.anynas.space.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThroughputBenchTest {

    @Test
    void theReferencesAreAPlainChainAResidualNetAndAnInvertedResidualNetWithSe() {
        Architecture plain = ThroughputBench.reference("plain");
        Architecture residual = ThroughputBench.reference("residual");
        Architecture inverted = ThroughputBench.reference("inverted-se");
        for (Architecture a : List.of(plain, residual, inverted)) {
            assertThat(a.input()).isEqualTo(Shape.of(1, 28, 28));
            assertThat(a.graph().params()).isBetween(50_000L, 200_000L);
        }
        assertThat(plain.stages()).extracting(Stage::block).containsOnly(BlockType.PLAIN);
        assertThat(residual.stages()).extracting(Stage::block).containsOnly(BlockType.RESIDUAL);
        assertThat(inverted.stages()).extracting(Stage::block).containsOnly(BlockType.INVERTED);
        assertThat(inverted.stages()).allMatch(Stage::hasSe);
    }

    @Test
    void pyTorchBuildsTheSameParameterCountFromTheSameGraph(@TempDir Path dir) {
        TorchPeer torch;
        try {
            torch = TorchPeer.of("/usr/bin/python3", dir);
        } catch (IllegalArgumentException e) {
            Assumptions.abort("python3-torch is not installed: " + e.getMessage());
            return;
        }
        for (String name : ThroughputBench.REFERENCES) {
            Path file = TorchPeer.graphFile(ThroughputBench.reference(name), dir.resolve(name + ".graph.json"));
            assertThat(torch.params(file)).as(name).isEqualTo(ThroughputBench.reference(name).graph().params());
        }
    }

    @Test
    void aMissingPythonSaysHowToInstallPyTorch(@TempDir Path dir) {
        assertThatThrownBy(() -> TorchPeer.of(dir.resolve("no-python").toString(), dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apt-get install python3-torch");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(ThroughputBench.median(new double[]{3, 1, 2})).isEqualTo(2);
        assertThat(ThroughputBench.median(new double[]{4, 1, 2, 3})).isEqualTo(2.5);
    }
}
