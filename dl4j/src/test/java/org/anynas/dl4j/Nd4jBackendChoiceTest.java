package org.anynas.dl4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A build with both ND4J backends ({@code -Pcuda}) loads the one chosen. This machine has no CUDA backend, so
 * its service entry is planted beside the real CPU one: ND4J's lookup through the chosen loader must see
 * exactly one of the two.
 */
class Nd4jBackendChoiceTest {
    private static final String SERVICE = "META-INF/services/" + Nd4jBackend.class.getName();

    @Test
    void theBackendLookupSeesOnlyTheChosenBackend(@TempDir Path dir) throws Exception {
        Path entry = dir.resolve(SERVICE);
        Files.createDirectories(entry.getParent());
        Files.writeString(entry, "# planted: what nd4j-cuda-11.6's jar declares\norg.nd4j.linalg.jcublas.JCublasBackend\n");
        try (URLClassLoader both = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThat(entries(both)).containsExactlyInAnyOrder(
                    "org.nd4j.linalg.cpu.nativecpu.CpuBackend", "org.nd4j.linalg.jcublas.JCublasBackend");
            assertThat(entries(new Nd4jBackendChoice.OnlyBackend(both, Nd4jBackendChoice.Kind.CPU)))
                    .containsExactly("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
            assertThat(entries(new Nd4jBackendChoice.OnlyBackend(both, Nd4jBackendChoice.Kind.CUDA)))
                    .containsExactly("org.nd4j.linalg.jcublas.JCublasBackend");
            // ND4J's own service lookup through the CPU-only loader finds the real backend class
            assertThat(ServiceLoader.load(Nd4jBackend.class, new Nd4jBackendChoice.OnlyBackend(both, Nd4jBackendChoice.Kind.CPU)))
                    .extracting(b -> b.getClass().getName()).containsExactly("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        }
    }

    @Test
    void theEvaluatorChoosesTheCpuAndNd4jLoadsIt() {
        CpuBackend.activate();
        assertThat(Nd4jBackendChoice.chosen()).isEqualTo(Nd4jBackendChoice.Kind.CPU);
        assertThat(Nd4jBackendChoice.cudaBuilt()).isFalse();
        assertThat(Nd4j.getBackend().getClass().getName()).isEqualTo("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
    }

    private static List<String> entries(ClassLoader loader) throws Exception {
        return Collections.list(loader.getResources(SERVICE)).stream().flatMap(url -> {
            try (var in = url.openStream()) {
                return new String(in.readAllBytes()).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }
}
