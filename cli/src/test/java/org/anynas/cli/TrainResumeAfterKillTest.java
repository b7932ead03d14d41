package org.anynas.cli;

import org.anynas.torch.TorchProbe;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./nas train --seeds K} on each backend killed with SIGKILL half-way through a seed: the re-run keeps the finished
 * seeds, goes on with the killed one from its last finished epoch (the epochs the killed run trained are shown as its,
 * not trained again) and ends with the same test accuracies, to the bit, as one run that was never stopped.
 */
class TrainResumeAfterKillTest extends CapturedConsole {

    @ParameterizedTest
    @ValueSource(strings = {"torch", "dl4j"})
    void aSeedKilledHalfWayGoesOnFromItsLastEpochToTheUninterruptedResult(String backend, @TempDir Path dir) throws Exception {
        if (backend.equals("torch")) {
            TorchProbe.Result torch = TorchProbe.probe("");
            assumeTrue(torch.torch().isPresent(), "PyTorch not found (" + torch.problem() + "); .ci/run installs python3-torch");
        }
        assertThat(Main.run("space", "sample", "chain", "-n", "1", "--seed", "3", "--input", "1x16x16", "--classes", "4")).isZero();
        String sampled = out.toString(StandardCharsets.UTF_8);
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, sampled.substring(sampled.indexOf('{'), sampled.lastIndexOf('}') + 1));
        List<String> args = List.of("train", "--arch", arch.toString(), "--dataset", "synthetic", "--val-size", "200",
                "--train-size", "1200", "--epochs", "4", "--batch", "32", "--backend", backend, "--torch-device", "cpu",
                "--augment", "--erasing", "0.5", "--ema", "0.9", "--seeds", "2", "--seed", "7", "--quiet");

        Path whole = dir.resolve("whole");
        out.reset();
        assertThat(Main.run(with(args, whole))).as(out + "" + err).isZero();

        Path killed = dir.resolve("killed");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.anynas.cli.Main"));
        cmd.addAll(List.of(with(args, killed)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        // killed once a seed has finished an epoch and before it is marked finished: its state file exists
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline && states(killed).isEmpty()) Thread.sleep(20);
        assertThat(states(killed)).as("a seed's epoch state while the child trains: " + Files.readString(dir.resolve("child.out")))
                .isNotEmpty();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        out.reset();
        err.reset();
        List<String> loud = new java.util.ArrayList<>(List.of(with(args, killed)));
        loud.remove("--quiet");
        assertThat(Main.run(loud.toArray(String[]::new))).as(out + "" + err).isZero();
        String again = out.toString(StandardCharsets.UTF_8);
        assertThat(again).as("the killed seed's finished epochs are not trained again").contains("(an earlier run's)");
        for (long seed : new long[]{7, 8}) {
            assertThat(marker(killed, seed)).as("seed " + seed).isEqualTo(marker(whole, seed));
        }
        assertThat(states(killed)).as("no epoch state left once the seeds are finished").isEmpty();
    }

    private static List<Path> states(Path out) throws Exception {
        if (!Files.isDirectory(out)) return List.of();
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".resume")).toList();
        }
    }

    private static String marker(Path runs, long seed) throws Exception {
        var m = org.anynas.space.Json.json().readTree(runs.resolve("seed-" + seed + "/" + SeedRuns.MARKER).toFile());
        return m.path("test_acc").asText() + " " + m.path("val_acc").asText() + " " + m.path("best_epoch").asText();
    }

    private static String[] with(List<String> args, Path out) {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(List.of("--out", out.toString()));
        return all.toArray(String[]::new);
    }
}
