package org.anynas.space;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-designed baselines of examples/architectures/ (its README says what each follows and how it differs):
 * their parameter and MAC counts as the README states them, so a change to the files or to how the space counts is
 * seen here.
 */
class BaselineArchitecturesTest {

    @ParameterizedTest
    @CsvSource({
            "lenet5-style,      stem6 | plain d1 w16 k5 max/2 | gap fc120 fc84 fc10,                                      15648,  600840",
            "two-conv-style,    stem32 | plain d1 w64 k5 max/2 | gap fc10,                                                52842,  10663040",
            "resnet20-style,    stem16 | residual d3 w16 k3 | residual d3 w32 k3 /2 | residual d3 w64 k3 /2 | gap fc10, 272186, 31021952",
            "mobilenetv2-style, stem32 | inverted d1 w16 k3 b1 | inverted d2 w24 k3 b6 /2 | inverted d3 w32 k3 b6 /2 | inverted d4 w64 k3 b6 | gap fc10, 239434, 15349008"})
    void loadsWithItsStatedParameterAndMacCounts(String name, String oneLine, long params, long macs) {
        Architecture a = ArchitectureJson.read(Path.of("../examples/architectures/" + name + ".json"));
        assertThat(a.input()).isEqualTo(Shape.of(1, 28, 28));
        assertThat(a.classes()).isEqualTo(10);
        assertThat(a.oneLine()).isEqualTo(oneLine);
        assertThat(a.graph().params()).isEqualTo(params);
        assertThat(a.graph().macs()).isEqualTo(macs);
    }
}
