package org.anynas.space;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchitectureJsonTest {
    private static final Architecture A = Architecture.of(Shape.of(1, 28, 28), 10, Activation.SILU, Stem.of(16, 3, 1),
            List.of(Stage.of(BlockType.INVERTED, 2, 24).withBottleneck(3.0).withSe(0.25).withDownsample(Downsample.STRIDE),
                    Stage.of(BlockType.INCEPTION, 1, 32).withDownsample(Downsample.MAX_POOL)),
            Head.of(0.2, 64));

    @Test
    void roundTripsThroughJson() {
        String json = ArchitectureJson.write(A);
        assertThat(json).contains("\"schema\" : 1").contains("\"inverted\"").contains("\"max_pool\"");
        assertThat(ArchitectureJson.read(json)).isEqualTo(A);
    }

    @Test
    void hashIsStableAndIgnoresGenesTheBlockDoesNotUse() {
        Architecture plain = Architecture.of(Shape.of(1, 28, 28), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.PLAIN, 1, 16)), Head.of(0));
        Architecture plainWithIgnoredBottleneck = Architecture.of(Shape.of(1, 28, 28), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.PLAIN, 1, 16).withBottleneck(0.25).withDepthwise(true)), Head.of(0));
        assertThat(ArchitectureJson.hash(plainWithIgnoredBottleneck)).isEqualTo(ArchitectureJson.hash(plain));
        // a literal value pins the hash across JVMs and versions: changing it breaks every results cache
        assertThat(ArchitectureJson.hash(plain)).isEqualTo("62be6e45feb997dd7e5ad9c0b9ee9de1")
                .isEqualTo(ArchitectureJson.hash(ArchitectureJson.read(ArchitectureJson.write(plain))));
        assertThat(ArchitectureJson.hash(A)).isNotEqualTo(ArchitectureJson.hash(plain));
    }

    @Test
    void unknownFieldsAndImpossibleValuesAreRejectedNamingTheField() {
        String json = ArchitectureJson.write(A);
        assertThatThrownBy(() -> ArchitectureJson.read(json.replace("\"classes\"", "\"colour\" : 1, \"classes\"")))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> ArchitectureJson.read(json.replace("\"classes\" : 10,", "")))
                .isInstanceOf(InvalidArchitectureException.class).hasMessage("field 'classes': is missing");
        assertThatThrownBy(() -> ArchitectureJson.read(json.replaceFirst("\"depth\" : 2", "\"depth\" : 0")))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("stages[0]").hasMessageContaining("depth");
        assertThatThrownBy(() -> ArchitectureJson.read(json.replace("\"schema\" : 1", "\"schema\" : 9")))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> ArchitectureJson.read(json.replace("\"inverted\"", "\"triangle\"")))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("block");
        assertThatThrownBy(() -> ArchitectureJson.read("[1, 2]"))
                .isInstanceOf(InvalidArchitectureException.class).hasMessageContaining("object");
    }
}
