package org.anynas.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/java/EmbeddedCampaign.java compiles against the library and runs a (tiny) campaign from code. */
class EmbeddedExampleTest {

    @Test
    void theEmbeddingExampleCompilesAndRunsACampaign(@TempDir Path dir) throws Exception {
        Path source = ExamplesTest.ROOT.resolve("examples/java/EmbeddedCampaign.java");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertThat(rc).as(errors.toString(StandardCharsets.UTF_8)).isZero();

        Path campaign = dir.resolve("tiny.yaml");
        Files.writeString(campaign, """
                name: embedded
                dataset: synthetic
                space: chain
                strategy: random
                population: 4
                workers: 1
                stop: {max_evaluations: 2}
                fidelity: {epochs: 1, train_size: 200, val_size: 100, batch_size: 50}
                seed: 1
                db: %s
                """.formatted(dir.resolve("runs/embedded")));
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("EmbeddedCampaign").getMethod("main", String[].class).invoke(null, (Object) new String[]{campaign.toString()});
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("candidate 1/2: ", "candidate 2/2: ", "best of 2: val_acc ");
        assertThat(dir.resolve("runs/embedded.mv.db")).exists();
    }
}
